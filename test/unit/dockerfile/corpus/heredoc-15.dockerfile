FROM alpine
LABEL text=<<EOF
ENV A=1
