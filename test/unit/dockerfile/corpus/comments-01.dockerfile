# only comments first

# more
FROM alpine
