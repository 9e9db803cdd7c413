FROM alpine
RUN --mount=type=cache,target=/c <<EOF
make
EOF
