FROM alpine
RUN echo # not a comment
