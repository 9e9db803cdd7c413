ARG A
FROM alpine
