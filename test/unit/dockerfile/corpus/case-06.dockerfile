FROM alpine
healthcheck none
