FROM alpine
Add <<Eof /y
EOF
Eof
