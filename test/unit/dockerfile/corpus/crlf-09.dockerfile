FROM alpine
RUN x
