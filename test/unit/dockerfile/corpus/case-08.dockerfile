FROM alpine
cOpY <<eof /x
data
eof
