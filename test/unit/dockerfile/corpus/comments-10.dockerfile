# unknown=directive
# escape=`
FROM alpine
RUN a \
 b
