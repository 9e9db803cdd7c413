FROM alpine
RUN cat <<E"O"F
quoted middle
EOF
