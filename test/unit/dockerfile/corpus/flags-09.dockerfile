FROM alpine
ADD --chown=app:app --chmod=0644 a.tgz /opt/
