ARG A=a\ b
FROM alpine
