FROM alpine
RUN <<EOF bash -c "cat"
data
EOF
RUN <<EOF
again
EOF
