# syntax=docker/dockerfile:1
FROM alpine AS base
RUN <<EOF
set -e
ARG INSIDE
FROM nowhere
EOF
ARG REAL
