ARG A='single quoted'
FROM alpine
