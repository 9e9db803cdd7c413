


FROM alpine


