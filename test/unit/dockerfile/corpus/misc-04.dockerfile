FROM alpine
MAINTAINER someone <a@b.c>
