FROM alpine
RUN -- echo after double dash
