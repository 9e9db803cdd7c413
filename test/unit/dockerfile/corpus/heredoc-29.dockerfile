FROM alpine
RUN <<-"EOT" sh
	echo tabbed
	EOT
