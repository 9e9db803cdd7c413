ARG A=
FROM alpine
ARG B=""
