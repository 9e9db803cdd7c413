ARG V=1
FROM alpine:$V AS v
