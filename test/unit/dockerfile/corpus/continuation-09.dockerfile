FROM alpine
RUN a \
# c1
# c2
   # c3
 b
