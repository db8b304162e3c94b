# bounced: a static binary on a small base image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The version `bounced version` and the image report: the release tag,
# e.g. docker build --build-arg VERSION=v0.9.0 . (.git is not copied in, so
# without it the binary says "devel").
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w ${VERSION:+-X main.version=${VERSION}}" -o /out/bounced ./cmd/bounced

FROM debian:bookworm-slim
ARG VERSION=""
LABEL org.opencontainers.image.title="bounced" \
      org.opencontainers.image.description="bounce and DSN processing daemon" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/bounced-dev/bounced" \
      org.opencontainers.image.version="${VERSION}"
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/bounced --create-home bounced
COPY --from=build /out/bounced /usr/local/bin/bounced
USER bounced
WORKDIR /var/lib/bounced
EXPOSE 8025
ENTRYPOINT ["/usr/local/bin/bounced"]
CMD ["run", "--config", "/etc/bounced/bounced.yaml"]
