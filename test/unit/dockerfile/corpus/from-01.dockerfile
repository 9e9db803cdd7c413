FROM alpine AS build
FROM build AS final
