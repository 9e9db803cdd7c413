FROM alpine
RUN cat <<EOF>/out
redirect glued
EOF>/out
