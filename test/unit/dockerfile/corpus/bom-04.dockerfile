ARG A=1
FROM alpine
