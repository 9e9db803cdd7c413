FROM alpine
onbuild run echo lower
