FROM alpine
RUN apk add \
    # a comment
    make \
    gcc
