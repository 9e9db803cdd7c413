FROM alpine
RUN python3 <<EOF
print("FROM x")
EOF
