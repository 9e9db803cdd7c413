FROM alpine
ADD ["https://example.com/a.tgz", "/tmp/"]
