FROM alpine
RUN <<EOF
FROM nope
EOF
