#!/bin/sh
# Runs the tests. `sh test.sh` runs every file in tests/ (except helpers.sh);
# `sh test.sh NAME...` runs only tests/NAME.sh for each NAME.
# Prints PASS or FAIL for each test, then the groups that failed; exits 1 when
# any test failed.
cd "$(dirname "$0")" || exit 2

if [ $# -eq 0 ]; then
    for file in tests/*.sh; do
        name=$(basename "$file" .sh)
        [ "$name" = helpers ] || set -- "$@" "$name"
    done
fi

failed=""
for name in "$@"; do
    file="tests/$name.sh"
    if [ ! -f "$file" ]; then
        echo "FAIL $name: there is no $file"
        failed="$failed $name"
    elif ! sh -c '. tests/helpers.sh && . "$1" && finish' sh "$file"; then
        failed="$failed $name"
    fi
done

if [ -n "$failed" ]; then
    echo "FAILED:$failed"
    exit 1
fi
echo "OK: every test passed ($*)"
