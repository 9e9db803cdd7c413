FROM alpine
VOLUME ["/data", "/logs"]
VOLUME /x /y
