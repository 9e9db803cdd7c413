FROM alpine
RUN --mount=type=cache,target=/c \
    --network=none \
    make
