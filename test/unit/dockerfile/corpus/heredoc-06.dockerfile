FROM alpine
RUN <<A cat > /a && <<B cat > /b
first
A
second
B
RUN true
