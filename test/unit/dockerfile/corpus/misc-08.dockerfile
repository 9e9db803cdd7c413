FROM alpine
RUN echo "   many   spaces   "
