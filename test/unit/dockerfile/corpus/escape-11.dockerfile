# escape=`
FROM alpine
RUN echo ``
RUN next
