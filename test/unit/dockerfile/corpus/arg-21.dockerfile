ARG A=${B/x/y} C=${D//x/y}
FROM alpine
