FROM alpine
RUN <<-EOF
		EOF
RUN true
