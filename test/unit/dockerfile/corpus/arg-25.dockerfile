ARG A=${B#x} C=${D%%y}
FROM alpine
