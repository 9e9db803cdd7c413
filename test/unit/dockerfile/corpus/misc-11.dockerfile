FROM alpine
    RUN indented
	COPY tabbed /x
