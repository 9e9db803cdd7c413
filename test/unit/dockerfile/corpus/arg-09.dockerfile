ARG    A=1     B=2		C
FROM alpine
