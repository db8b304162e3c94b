package suppress

import (
	"context"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// applyStages are the apply script's stages, each named by the line it
// starts with (applySrc).
var applyStages = []struct{ name, starts string }{
	{"01-arguments-and-fence", "local now = tonumber(ARGV[2])\nlocal scopes"},
	{"02-sweep", "local prev = redis.call('GET', KEYS[1])"},
	{"03-idempotency-and-record-read", "if not redis.call('SET', KEYS[9]"},
	{"04-seen", "local domain = ARGV[23]"},
	{"05-allowlist-and-outage", "local cur = {rec['first_seen']"},
	{"06-policy-action", "local newly = false"},
	{"07-describe", "-- History and daily counters"},
	{"08-history-and-counters", "local scope, exp = summarize("},
	{"09-scope-and-indexes", "redis.call('HSET', h, unpack(W))"},
	{"10-record-write", "local res = {suppressed = scope ~= '', newly_suppressed = newly"},
}

// BenchmarkApplyStages profiles the apply script inside Redis: for each
// stage, the script cut short where the stage ends (it returns there), with
// BenchmarkApply's mix of entries, and Redis's µs per call (INFO
// commandstats); "whole" is the full script. Each sub-benchmark has a
// Redis of its own. Until the record is read (to-03) nothing the script
// writes changes what later calls find, and a stage's cost is its figure
// less the one before; after that a script cut short leaves the record,
// its windows and indexes as a full one would not, so the later figures
// are not a sum of stages, only an order of magnitude.
func BenchmarkApplyStages(b *testing.B) {
	full := applyScript
	defer func() { applyScript = full }()
	for k := 0; k <= len(applyStages); k++ {
		name, script := "whole", full
		if k < len(applyStages) {
			i := strings.Index(applySrc, applyStages[k].starts)
			if i < 0 {
				b.Fatalf("the apply script has no line %q: update applyStages", applyStages[k].starts)
			}
			name = applyStages[k].name
			if k > 0 {
				name = "to-" + applyStages[k-1].name
			} else {
				name = "to-00-call"
			}
			script = redis.NewScript(applySrc[:i] + "if true then return {0, '{}'} end\n" + applySrc[i:])
		}
		b.Run(name, func(b *testing.B) {
			applyScript = script
			srv := testutil.StartRedis(b)
			c := newClient(b, srv)
			s := New(c, "", DefaultPolicy(), nil)
			ctx := context.Background()
			i := 0
			for b.Loop() {
				// A script cut short answers "{}": Apply may then find
				// nothing it expects, which is no failure here.
				if _, err := s.Apply(ctx, benchEntry(i)); err != nil && script == full {
					b.Fatal(err)
				}
				i++
			}
			reportRedisTime(ctx, b, c)
		})
	}
}
