FROM alpine
COPY ["a b", "c d", "/dst/"]
