FROM alpine
RUN a
RUN b
