#escape=`
FROM alpine
ARG P=c:\path
RUN echo `
  ok
