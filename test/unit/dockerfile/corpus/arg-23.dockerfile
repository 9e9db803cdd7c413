ARG A=\$B
FROM alpine
