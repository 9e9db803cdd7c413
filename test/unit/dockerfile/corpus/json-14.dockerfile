FROM alpine
RUN ['single', 'quotes']
