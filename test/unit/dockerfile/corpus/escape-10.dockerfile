# escape=`
FROM alpine
ARG A="x `" y" B=c`d
