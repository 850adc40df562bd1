# syntax=docker/dockerfile:1
# Build a static binary (pure Go: modernc SQLite needs no cgo), then run it
# as a non-root user on a distroless base with the SQLite file on a volume.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X clinaudit/app/cli.Version=${VERSION}" -o /out/clinaudit ./app/cmd/clinaudit \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/clinaudit /usr/local/bin/clinaudit
COPY --from=build --chown=nonroot:nonroot /out/data /data
USER nonroot:nonroot
ENV CLINAUDIT_ADDR=:8080 \
    DATABASE_URL=sqlite:/data/clinaudit.db
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/clinaudit"]
CMD ["serve"]
