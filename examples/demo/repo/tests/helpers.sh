# Loaded before each test file: the library, and `check`.
. lib/text.sh
. lib/numbers.sh
. lib/csv.sh
. lib/template.sh

failures=0

# check DESCRIPTION EXPECTED ACTUAL: one test. Prints PASS or FAIL.
check() {
    if [ "$2" = "$3" ]; then
        echo "PASS $1"
    else
        echo "FAIL $1: expected '$2', got '$3'"
        failures=$((failures + 1))
    fi
}

# finish: the file's status; non-zero when any check failed.
finish() {
    [ "$failures" -eq 0 ]
}
