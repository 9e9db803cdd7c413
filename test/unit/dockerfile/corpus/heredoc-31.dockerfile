FROM alpine
RUN echo <<-  EOF
RUN true
