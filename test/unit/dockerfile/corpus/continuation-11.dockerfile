FROM alpine
RUN a \