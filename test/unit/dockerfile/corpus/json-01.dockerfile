FROM alpine
CMD ["/app", "--serve"]
