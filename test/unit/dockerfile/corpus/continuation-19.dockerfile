FROM alpine
LABEL a=b \
  # not a label
  c=d
