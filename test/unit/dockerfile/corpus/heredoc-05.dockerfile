FROM alpine
RUN <<'EOF'
${X}
EOF
