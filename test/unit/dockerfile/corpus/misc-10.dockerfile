FROM alpine
RUN echo nbsp
