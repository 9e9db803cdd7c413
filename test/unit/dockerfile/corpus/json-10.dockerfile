FROM alpine
HEALTHCHECK --interval=5s --timeout=2s CMD curl -f http://localhost/ || exit 1
