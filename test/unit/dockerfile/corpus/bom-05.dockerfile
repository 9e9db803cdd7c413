
FROM alpine
