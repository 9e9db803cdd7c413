FROM alpine
COPY --from=build --chown=1000:1000 /out /app
