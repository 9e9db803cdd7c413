FROM alpine
COPY --link . /src
