FROM alpine
ENTRYPOINT ["/bin/sh", "-c"]
CMD echo hi
