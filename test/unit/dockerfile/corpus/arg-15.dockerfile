ARG A="with $VAR inside" B='$NOT'
FROM alpine
