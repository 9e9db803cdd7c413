FROM alpine
ONBUILD RUN echo hi
