ARG A="unterminated
FROM alpine
