# Templates. Source this file: . lib/template.sh

# render TEMPLATE: TEMPLATE with $NAME and ${NAME} replaced by the values of
# those shell variables.
#   name=Ada; render 'Hello, $name'  ->  Hello, Ada
render() {
    eval "printf '%s\n' \"$1\""
}
