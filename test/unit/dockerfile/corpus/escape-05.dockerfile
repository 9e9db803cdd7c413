# a comment
# escape=`
FROM alpine
RUN echo \
  joined
