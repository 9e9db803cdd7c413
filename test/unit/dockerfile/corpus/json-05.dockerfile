FROM alpine
RUN ["echo", "unterminated"
