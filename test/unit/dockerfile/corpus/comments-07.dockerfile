# syntax=docker/dockerfile:1
# note
FROM alpine
