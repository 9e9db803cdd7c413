FROM alpine
ADD --checksum=sha256:abc https://example.com/x /x
