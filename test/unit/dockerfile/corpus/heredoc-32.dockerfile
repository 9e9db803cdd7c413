FROM alpine
RUN echo hi <<EOF
EOF
RUN echo "unclosed <<X
