FROM alpine:3.20@sha256:0123 AS pinned
