FROM alpine
ENV A=1 B="x y"
ENV OLD value with spaces
