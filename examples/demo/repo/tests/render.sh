name=Ada
check 'render replaces $NAME' 'Hello, Ada' "$(render 'Hello, $name')"
check 'render replaces ${NAME}' 'Hello, Ada!' "$(render 'Hello, ${name}!')"
