ARG A=1 B C="x y"
FROM alpine
