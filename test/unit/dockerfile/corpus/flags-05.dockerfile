FROM alpine
RUN --network=none make
