ARG A=x=y
FROM alpine
