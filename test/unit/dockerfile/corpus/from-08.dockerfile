FROM alpine AS a
FROM a AS b
FROM b
COPY --from=a /x /y
