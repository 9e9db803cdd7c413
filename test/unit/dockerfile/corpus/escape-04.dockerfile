# ESCAPE = `
FROM alpine
RUN a `
b
