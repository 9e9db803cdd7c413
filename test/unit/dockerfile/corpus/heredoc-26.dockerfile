FROM alpine
RUN <<EOF
RUN \
EOF
RUN true
