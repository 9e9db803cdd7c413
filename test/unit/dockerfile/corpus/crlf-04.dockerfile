FROM alpine
COPY <<-EOT /x
	hello
	EOT
