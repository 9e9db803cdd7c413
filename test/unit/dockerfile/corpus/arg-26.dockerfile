ARG A="tab	here"
FROM alpine
