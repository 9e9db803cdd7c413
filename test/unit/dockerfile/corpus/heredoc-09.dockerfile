FROM alpine
RUN << EOF
spaced word after <<
EOF
