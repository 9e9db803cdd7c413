FROM alpine
COPY --exclude=*.md . /src
