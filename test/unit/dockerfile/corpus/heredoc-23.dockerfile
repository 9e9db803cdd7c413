FROM alpine
ADD <<EOF /hello.txt
hello
EOF
