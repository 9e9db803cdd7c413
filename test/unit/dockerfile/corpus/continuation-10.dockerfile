FROM alpine
RUN a \
