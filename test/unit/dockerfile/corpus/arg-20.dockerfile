ARG A="x"y'z'
FROM alpine
