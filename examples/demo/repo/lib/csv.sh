# CSV helpers (simple comma-separated lines, no quoting). Source this file: . lib/csv.sh

# csv_field LINE N: field N (counting from 1) of LINE, without the blanks
# around it.
#   csv_field "Ada Lovelace, 36, London" 3  ->  London
csv_field() {
    printf '%s\n' "$1" | awk -F, -v n="$2" '{ print $n }'
}
