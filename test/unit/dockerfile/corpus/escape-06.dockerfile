
# escape=`
FROM alpine
RUN echo \
  joined
