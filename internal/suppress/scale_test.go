package suppress

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// scaleN is how many suppressions TestScale_1M loads.
const scaleN = 1_000_000

// Thresholds of TestScale_1M (issue 9).
const (
	scaleMaxPageP99 = 100 * time.Millisecond
	scaleMaxImport  = 60 * time.Second
)

var scaleReasons = []string{"user_unknown", "user_unknown", "user_unknown", "host_unknown", "mailbox_full", "blocked", "complaint"}

func scaleDomain(i int) string {
	switch i % 10 {
	case 0:
		return "docomo.ne.jp"
	case 1:
		return "ezweb.ne.jp"
	case 2:
		return "gmail.com"
	}
	return fmt.Sprintf("d%03d.example.com", i%997)
}

// loadScale fills the store with n suppressions as the apply script
// writes them (record hash, set, the four indexes, one history line), with
// pipelines from a few goroutines: not through Apply, which would take
// long.
func loadScale(t *testing.T, c *redis.Client, s *Store, n int) (base int64) {
	t.Helper()
	ctx := context.Background()
	base = time.Now().Add(-90 * 24 * time.Hour).UnixMilli()
	const batch = 1000
	const workers = 4
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for start := w * batch; start < n; start += workers * batch {
				pipe := c.Pipeline()
				for i := start; i < min(start+batch, n); i++ {
					a := fmt.Sprintf("user%07d@%s", i, scaleDomain(i))
					reason := scaleReasons[i%len(scaleReasons)]
					cat := reason
					if reason == "blocked" {
						cat = "policy_block"
					}
					at := base + int64(i)*7000 // 7 s apart: 81 days for 1,000,000, newest last
					scope := ScopeAll
					set := s.key("suppressed")
					if reason == "complaint" {
						scope, set = ScopeMarketing, s.key("suppressed", "marketing")
					}
					hash := fmt.Sprintf("%064x", i)
					pipe.HSet(ctx, s.key("addr", a),
						"count", 1, "first_seen", at, "last_seen", at, "scope", scope, "expires_at", "", "suppressed_at", at,
						"reason", reason, "category", cat, "kind", "bounce", "hard", "1", "status", "5.1.1", "reply_code", "550",
						"diagnostic", "550 5.1.1 <"+a+">: Recipient address rejected: User unknown in virtual mailbox table",
						"remote_mta", "mx."+scaleDomain(i), "reporting_mta", "mail.shop.example", "format", "postfix",
						"rule", "status:5.1.1", "confidence", "high", "rule_source", "RFC 3463",
						"original_message_id", "<order-"+strconv.Itoa(i)+"@shop.example>", "original_subject", "Your order has shipped",
						"source", "imap://mail.shop.example/INBOX;UIDVALIDITY=1;UID="+strconv.Itoa(i), "verification", "",
						"as_written", a, "carrier", CarrierOf(a), "raw", hash, "note", "")
					pipe.SAdd(ctx, set, a)
					pipe.ZAdd(ctx, s.key("idx", "time"), redis.Z{Score: float64(at), Member: a})
					pipe.ZAdd(ctx, s.key("idx", "reason", reason), redis.Z{Score: float64(at), Member: a})
					pipe.ZAdd(ctx, s.key("idx", "domain", scaleDomain(i)), redis.Z{Score: float64(at), Member: a})
					pipe.ZAdd(ctx, s.key("idx", "addr"), redis.Z{Score: 0, Member: a})
					line, _ := json.Marshal(HistoryEntry{At: time.UnixMilli(at).UTC(), Kind: "bounce", Reason: reason, Category: cat,
						Hard: true, Status: "5.1.1", ReplyCode: "550", Diagnostic: "550 5.1.1 Recipient address rejected: User unknown",
						RemoteMTA: "mx." + scaleDomain(i), Rule: "status:5.1.1", Confidence: "high", Raw: hash,
						Source: "imap://mail.shop.example/INBOX;UIDVALIDITY=1;UID=" + strconv.Itoa(i), Key: fmt.Sprintf("%032x:%s", i, a)})
					pipe.LPush(ctx, s.key("hist", a), line)
				}
				if _, err := pipe.Exec(ctx); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return base
}

func usedMemory(t *testing.T, c *redis.Client) int64 {
	t.Helper()
	info, err := c.Info(context.Background(), "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	t.Fatal("no used_memory in INFO memory")
	return 0
}

// p99 runs q runs times and returns the 99th percentile and the median.
func p99(t *testing.T, runs int, q func() error) (time.Duration, time.Duration) {
	t.Helper()
	ds := make([]time.Duration, runs)
	for i := range ds {
		start := time.Now()
		if err := q(); err != nil {
			t.Fatal(err)
		}
		ds[i] = time.Since(start)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[(runs*99)/100], ds[runs/2]
}

// TestScale_1M measures the store holding 1,000,000 suppressions: the
// first, a middle (by cursor) and filtered pages (p99 under 100 ms each),
// Redis memory per suppressed address, and an import of 1,000,000 CSV
// rows (under 60 s). It takes minutes and a few GB of memory: it runs
// only with BOUNCED_SCALE=1 (or BOUNCED_SCALE=<n> for n suppressions).
func TestScale_1M(t *testing.T) {
	if os.Getenv("BOUNCED_SCALE") == "" {
		t.Skip("set BOUNCED_SCALE=1 to run the 1,000,000-suppression test")
	}
	scaleN := scaleN
	if v, err := strconv.Atoi(os.Getenv("BOUNCED_SCALE")); err == nil && v > 1 {
		scaleN = v // a smaller run, to try the test
	}
	rs := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: rs.Addr, PoolSize: 8, ReadTimeout: time.Minute})
	t.Cleanup(func() { c.Close() })
	s := New(c, "{bench}", DefaultPolicy(), nil)
	ctx := context.Background()

	before := usedMemory(t, c)
	start := time.Now()
	base := loadScale(t, c, s, scaleN)
	load := time.Since(start)
	after := usedMemory(t, c)
	perAddr := float64(after-before) / float64(scaleN)
	t.Logf("loaded %d suppressions in %s (pipelined); redis used_memory %.1f MB more: %.0f bytes per suppressed address",
		scaleN, load.Round(time.Millisecond), float64(after-before)/(1<<20), perAddr)

	// The same records where Redis keeps hashes with values up to 1 KB
	// compact (hash-max-listpack-value; the default 64 bytes is shorter
	// than most diagnostics), on a sample.
	{
		rs2 := testutil.StartRedisWith(t, testutil.RedisOptions{Args: []string{"--hash-max-listpack-value", "1024"}})
		c2 := redis.NewClient(&redis.Options{Addr: rs2.Addr})
		sample := min(scaleN, 50000)
		b0 := usedMemory(t, c2)
		loadScale(t, c2, New(c2, "{bench}", DefaultPolicy(), nil), sample)
		t.Logf("with hash-max-listpack-value 1024: %.0f bytes per suppressed address (%d addresses)",
			float64(usedMemory(t, c2)-b0)/float64(sample), sample)
		c2.Close()
		rs2.Stop()
	}

	// A cursor to the middle of the time index, as a client gets after
	// paging halfway.
	mid, err := c.ZRevRangeWithScores(ctx, s.key("idx", "time"), int64(scaleN/2), int64(scaleN/2)).Result()
	if err != nil || len(mid) != 1 {
		t.Fatalf("middle member: %v", err)
	}
	midCursor := func(member string, score float64) string {
		b, _ := json.Marshal(cursor{Mode: "t", Score: strconv.FormatFloat(score, 'f', -1, 64), Member: member,
			Filter: QueryOptions{}.normalise().filterHash()})
		return base64.RawURLEncoding.EncodeToString(b)
	}
	cases := []struct {
		name string
		o    QueryOptions
		want int // at least this many records on the page
	}{
		{"first page", QueryOptions{Limit: 100}, 100},
		{"middle page by cursor", QueryOptions{Limit: 100, Cursor: midCursor(mid[0].Member.(string), mid[0].Score)}, 100},
		{"middle page, cursor's address lifted", QueryOptions{Limit: 100, Cursor: midCursor("user0000000@nowhere.example", mid[0].Score)}, 100},
		{"reason (index)", QueryOptions{Limit: 100, Reason: "host_unknown"}, 100},
		{"domain (index)", QueryOptions{Limit: 100, Domain: "docomo.ne.jp"}, 100},
		{"carrier (record filter)", QueryOptions{Limit: 100, Carrier: "au"}, 100},
		{"category and scope (record filters)", QueryOptions{Limit: 100, Category: "policy_block", Scope: ScopeAll}, 100},
		{"address prefix", QueryOptions{Limit: 100, Prefix: "user00"}, 100},
		{"since/until window", QueryOptions{Limit: 100, Since: time.UnixMilli(base + int64(scaleN/4)*7000), Until: time.UnixMilli(base + int64(scaleN/2)*7000)}, 100},
		{"filter matching nothing (budget)", QueryOptions{Limit: 100, Reason: "host_unknown", Carrier: "softbank"}, 0},
	}
	evalUsec := func() float64 {
		info, _ := c.Info(ctx, "commandstats").Result()
		for _, l := range strings.Split(info, "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(l), "cmdstat_evalsha:"); ok {
				for _, kv := range strings.Split(v, ",") {
					if u, ok := strings.CutPrefix(kv, "usec_per_call="); ok {
						f, _ := strconv.ParseFloat(u, 64)
						return f
					}
				}
			}
		}
		return 0
	}
	for _, tc := range cases {
		c.ConfigResetStat(ctx)
		var n int
		p, med := p99(t, 200, func() error {
			page, err := s.Query(ctx, tc.o)
			n = len(page.Records)
			return err
		})
		t.Logf("%-40s p99 %7.2f ms  median %6.2f ms  redis %6.2f ms per page  (%d rows)", tc.name,
			float64(p.Microseconds())/1000, float64(med.Microseconds())/1000, evalUsec()/1000, n)
		if n < tc.want {
			t.Errorf("%s: %d rows, want at least %d", tc.name, n, tc.want)
		}
		if p > scaleMaxPageP99 {
			t.Errorf("%s: p99 %s, want under %s", tc.name, p, scaleMaxPageP99)
		}
	}

	// Import 1,000,000 CSV rows (SES columns), streamed from a generator.
	if err := c.FlushAll(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				pw.CloseWithError(fmt.Errorf("generator panic: %v", r))
			}
		}()
		bw := make([]byte, 0, 1<<20)
		bw = append(bw, "EmailAddress,Reason,LastUpdateTime\n"...)
		for i := 0; i < scaleN; i++ {
			reason := "BOUNCE"
			if i%20 == 0 {
				reason = "COMPLAINT"
			}
			bw = fmt.Appendf(bw, "imported%07d@%s,%s,2026-11-%02dT10:00:00Z\n", i, scaleDomain(i), reason, 1+i%28)
			if len(bw) > 1<<20-200 {
				if _, err := pw.Write(bw); err != nil {
					return
				}
				bw = bw[:0]
			}
		}
		pw.Write(bw)
		pw.Close()
	}()
	start = time.Now()
	rep, err := s.Import(ctx, pr, ImportOptions{Format: FormatCSV, Actor: "bench"})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %d CSV rows in %s (%.0f rows/s): %d added, %d refused", rep.Rows, took.Round(time.Millisecond),
		float64(rep.Rows)/took.Seconds(), rep.Added, rep.Refused)
	if rep.Rows != scaleN || rep.Added != scaleN {
		t.Errorf("import = %+v", rep)
	}
	if took > scaleMaxImport {
		t.Errorf("import of %d rows took %s, want under %s", scaleN, took, scaleMaxImport)
	}
}
