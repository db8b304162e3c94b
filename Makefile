# bounced: see README.md.
GO       ?= go
BIN      ?= bin/bounced
PKGS     ?= ./...
FUZZTIME ?= 2m

.PHONY: all build test test-short lint fuzz bench bench-e2e demo score clean

all: build

# A tagged commit stamps its tag into `bounced version` (docs/releasing.md).
VERSION  ?= $(shell git describe --tags --exact-match 2>/dev/null)

build:
	$(GO) build $(if $(VERSION),-ldflags "-X main.version=$(VERSION)") -o $(BIN) ./cmd/bounced

# The full suite: unit tests, the corpus accuracy gate, and the integration
# tests against real redis-server, nats-server and Dovecot started by the
# tests themselves on free loopback ports, then the allocation bounds
# without the race detector.
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -shuffle=on -timeout 25m $(PKGS)
	# allocation bounds, which the race detector's own allocations hide,
	# and the accuracy proxies that decode in-process, which it slows tenfold
	$(GO) test -run '_allocs$$|Allocs' -count 1 ./bounce/...
	$(GO) test -run 'TestRobust_metamorphic|TestLeaveOneOut' -count 1 ./cmd/bounced

test-short:
	$(GO) test -short $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@if command -v staticcheck >/dev/null; then staticcheck $(PKGS); else echo "staticcheck not installed, skipped"; fi

# Every fuzz target of the module, found in the test files, so that a new
# one is never left out (FUZZTIME each).
fuzz:
	@set -e; for t in $$(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | \
	    sed 's|^\(.*\)/[^/]*_test.go:func |\1:|' | sort -u); do \
	  echo "$${t#*:} ($${t%%:*})"; \
	  $(GO) test $${t%%:*} -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME); \
	done

bench:
	GOMAXPROCS=1 $(GO) test ./bounce -run '^$$' -bench DecodeCorpus -benchmem -count 6 | tee bench.out
	$(GO) test ./classify -run '^$$' -bench . -benchmem

score: build
	../shared/tools/score ../shared/corpus/sisimai --bin $(BIN)

demo:
	$(GO) run ./cmd/bounced-demo

# End to end through Dovecot, Redis and nats-server: BENCH_E2E_N bounces
# drained, BENCH_E2E_PACED arriving at BENCH_E2E_RATE/s for latency.
bench-e2e:
	$(GO) test ./internal/app -run '^$$' -bench EndToEnd -benchtime 1x -timeout 30m

clean:
	rm -rf bin bench.out

# The long fault matrix (50 kills, 60 connection faults) and 1,000 hostile
# messages, through real Dovecot, Redis and nats-server (docs/reliability.md);
# then three processes on two mailboxes with 20,000 waiting bounces, the
# lease holder killed with SIGKILL three times (CI runs it with 3,000).
# CHAOS_PENDING=1 also runs the rows that wait for fixes under way.
.PHONY: chaos
chaos:
	BOUNCED_CHAOS_LONG=1 BOUNCED_CHAOS_PENDING=$(CHAOS_PENDING) $(GO) test ./internal/app -run '^TestChaos_' -v -timeout 90m
	LEASE_E2E_N=20000 $(GO) test ./internal/app -run TestLease_failoverLosesNothing -count=1 -v -timeout 30m
