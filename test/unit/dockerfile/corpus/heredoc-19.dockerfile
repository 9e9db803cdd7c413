FROM alpine
RUN echo $((1<<2))
