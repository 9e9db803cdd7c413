FROM alpine
ONBUILD COPY <<EOF /x
ARG hidden
EOF
