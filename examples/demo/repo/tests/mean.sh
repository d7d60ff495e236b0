check 'mean of two numbers' 3 "$(mean 2 4)"
check 'mean keeps the fraction' 2.5 "$(mean 1 2 3 4)"
check 'mean of decimals' 2 "$(mean 1.5 2.5)"
check 'mean of negative numbers' -2 "$(mean -1 -3)"
