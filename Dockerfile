# bounced: a static binary on a small base image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/bounced ./cmd/bounced

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/bounced --create-home bounced
COPY --from=build /out/bounced /usr/local/bin/bounced
USER bounced
WORKDIR /var/lib/bounced
EXPOSE 8025
ENTRYPOINT ["/usr/local/bin/bounced"]
CMD ["run", "--config", "/etc/bounced/bounced.yaml"]
