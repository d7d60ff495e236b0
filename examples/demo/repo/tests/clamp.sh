check 'clamp raises a number below LOW to LOW' 0 "$(clamp -5 0 10)"
check 'clamp lowers a number above HIGH to HIGH' 10 "$(clamp 12 0 10)"
check 'clamp keeps a number inside the range' 7 "$(clamp 7 0 10)"
