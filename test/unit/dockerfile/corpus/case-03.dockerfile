FROM alpine AS Build
FROM build
