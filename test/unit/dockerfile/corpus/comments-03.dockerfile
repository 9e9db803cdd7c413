FROM alpine
#
RUN x
#
