FROM alpine
run <<eof
lower
eof
