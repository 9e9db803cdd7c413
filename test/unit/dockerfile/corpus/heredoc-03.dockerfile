FROM alpine
COPY <<-EOT /etc/motd
	Welcome
	ARG NOPE
	EOT
