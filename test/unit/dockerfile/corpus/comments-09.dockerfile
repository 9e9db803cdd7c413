# check=error=true
FROM alpine
