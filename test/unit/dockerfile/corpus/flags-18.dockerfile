FROM alpine
RUN -v echo not a flag
