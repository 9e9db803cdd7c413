FROM alpine
RUN one \
  two
