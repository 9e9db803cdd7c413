FROM alpine
RUN echo ${A:-x} $B "$C" '$D'
