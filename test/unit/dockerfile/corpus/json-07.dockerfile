FROM alpine
SHELL ["/bin/bash", "-eo", "pipefail", "-c"]
RUN a | b
