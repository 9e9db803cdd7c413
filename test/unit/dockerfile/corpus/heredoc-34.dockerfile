FROM alpine
RUN <<EOF
line
EOF