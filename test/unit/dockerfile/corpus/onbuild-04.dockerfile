FROM alpine
ONBUILD RUN ["echo", "json"]
