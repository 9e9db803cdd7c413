ARG A=1 B
FROM alpine AS Base
