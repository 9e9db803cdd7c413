FROM alpine
RUN a
FROM busybox
RUN b
FROM scratch
COPY --from=0 /x /y
