ARG ÜNICODE=ä
FROM alpine
