FROM alpine
COPY . .
RUN make
COPY --from=0 /a /b
