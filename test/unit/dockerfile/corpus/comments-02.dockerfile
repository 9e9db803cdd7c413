FROM alpine
   # indented comment
RUN x
