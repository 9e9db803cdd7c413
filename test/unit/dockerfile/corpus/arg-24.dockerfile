ARG A=$
FROM alpine
