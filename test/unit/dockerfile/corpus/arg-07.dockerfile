ARG A=$B
ARG C=${D:-default} E=${F:+alt}
FROM alpine
