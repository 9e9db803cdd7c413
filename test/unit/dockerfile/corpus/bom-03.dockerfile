# syntax=docker/dockerfile:1
FROM alpine
RUN <<EOF
x
EOF
