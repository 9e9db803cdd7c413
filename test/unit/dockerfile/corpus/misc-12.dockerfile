FROM alpine
RUN echo last line without newline