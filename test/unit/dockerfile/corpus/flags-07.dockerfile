FROM alpine
COPY --chmod=755 run.sh /usr/local/bin/
