ARG A="${B:-"nested"}"
FROM alpine
