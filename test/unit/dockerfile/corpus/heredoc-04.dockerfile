FROM alpine
RUN <<"EOF"
$HOME is not expanded
EOF
