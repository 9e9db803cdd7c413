FROM alpine
RUN \
  <<EOF
continued then heredoc
EOF
