check 'shorten leaves short text alone' Hello "$(shorten Hello 8)"
check 'shorten leaves text of exactly WIDTH alone' 'Hello, W' "$(shorten 'Hello, W' 8)"
check 'shorten cuts to WIDTH characters, dots included' 'Hello...' "$(shorten 'Hello, World' 8)"
check 'shorten never returns more than WIDTH characters' 5 "$(shorten abcdefghij 5 | awk '{ print length($0) }')"
