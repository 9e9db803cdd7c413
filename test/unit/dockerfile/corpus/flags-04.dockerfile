FROM alpine
RUN --mount=type=secret,id=token --mount=type=ssh cat /run/secrets/token
