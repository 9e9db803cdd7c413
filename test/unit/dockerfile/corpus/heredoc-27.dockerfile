FROM alpine
RUN <<EOF
windows
EOF
RUN true
