ARG A=${
FROM alpine
