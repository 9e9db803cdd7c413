FROM alpine
RUN echo ä ö ü — unicode
