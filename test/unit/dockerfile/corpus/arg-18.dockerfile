ARG A="a b" \
    B
FROM alpine
