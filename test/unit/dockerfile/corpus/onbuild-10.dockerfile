FROM alpine
ONBUILD  USER nobody
