FROM alpine
	
RUN x
