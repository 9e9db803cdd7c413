FROM alpine
RUN echo 1<<2
two
2
