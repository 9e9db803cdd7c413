   
# comment
FROM alpine
