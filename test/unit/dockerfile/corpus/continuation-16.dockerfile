FROM alpine
RUN [ "sh", \
  "-c", \
  "true" ]
