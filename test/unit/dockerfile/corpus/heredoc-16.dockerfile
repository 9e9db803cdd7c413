FROM alpine
ONBUILD RUN <<EOF
FROM inside
EOF
RUN true
