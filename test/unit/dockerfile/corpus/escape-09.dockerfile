# escape=`
FROM alpine
RUN <<EOF
back`tick `
EOF
