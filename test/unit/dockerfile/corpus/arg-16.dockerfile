ARG A=1 # not a comment
FROM alpine
