# Number helpers. Source this file: . lib/numbers.sh

# mean NUMBER...: the arithmetic mean of the numbers, as a decimal.
#   mean 1 2 3 4  ->  2.5
mean() {
    sum=0
    for number in "$@"; do
        sum=$((sum + number))
    done
    echo $((sum / $#))
}

# clamp NUMBER LOW HIGH: NUMBER, raised to LOW or lowered to HIGH if outside.
#   clamp 12 0 10  ->  10
clamp() {
    if [ "$1" -lt "$2" ]; then
        echo "$2"
    elif [ "$1" -gt "$3" ]; then
        echo "$3"
    else
        echo "$1"
    fi
}
