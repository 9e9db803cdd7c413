ARG A="double \" escaped"
FROM alpine
