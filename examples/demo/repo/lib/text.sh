# Text helpers. Source this file: . lib/text.sh

# slugify TEXT: TEXT in lower case, with every run of characters other than
# letters and digits turned into one dash, and no dash at either end.
#   slugify "Hello, World!"   ->  hello-world
slugify() {
    printf '%s\n' "$1" | tr '[:upper:]' '[:lower:]' | sed -e 's/[^a-z0-9]/-/g'
}

# shorten TEXT WIDTH: TEXT cut to at most WIDTH characters; when it is cut,
# the last three of those characters are "...".
#   shorten "Hello, World" 8  ->  Hello...
shorten() {
    printf '%s\n' "$1" | awk -v width="$2" '{
        if (length($0) > width) print substr($0, 1, width - 2) "..."
        else print
    }'
}

# word_count TEXT: the number of words (runs of non-blank characters) in TEXT.
#   word_count "one two  three"  ->  3
word_count() {
    printf '%s\n' "$1" | wc -w | tr -d ' '
}
