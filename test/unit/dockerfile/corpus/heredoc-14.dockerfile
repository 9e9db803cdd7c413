FROM alpine
CMD cat <<EOF
ENTRYPOINT ["sh"]
