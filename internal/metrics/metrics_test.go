package metrics

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestLabels_bounded(t *testing.T) {
	for _, tc := range []struct {
		name, got, want string
	}{
		{"reason of the vocabulary", Reason("user_unknown"), "user_unknown"},
		{"reason outside it", Reason("550 no such user here"), Other},
		{"empty reason", Reason(""), None},
		{"category", Category("policy_block"), "policy_block"},
		{"unknown category", Category("weird"), Other},
		{"kind", Kind("complaint"), "complaint"},
		{"carrier", Carrier("taro@docomo.ne.jp"), "docomo"},
		{"carrier sub-brand", Carrier("x@ezweb.ne.jp"), "au"},
		{"no carrier", Carrier("taro@example.com"), Other},
		{"listed domain", Domain("Someone@GMail.com"), "gmail.com"},
		{"subdomain of a wildcard entry", Domain("a@abc.biglobe.ne.jp"), "biglobe.ne.jp"},
		{"unlisted domain", Domain("a@shop-customer.example"), Other},
		{"look-alike domain", Domain("a@docomo.example.ne.jp"), Other},
		{"format", Format("postfix"), "postfix"},
		{"format with odd bytes", Format("Postfix <script>"), Other},
		{"scope", Scope("marketing"), "marketing"},
		{"unknown scope", Scope("everything"), Other},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

// However many distinct formats come, at most maxFormats label values.
func TestFormat_capped(t *testing.T) {
	seen := map[string]bool{}
	for i := range 3 * maxFormats {
		seen[Format(fmt.Sprintf("decoder%d", i))] = true
	}
	if len(seen) > maxFormats+1 {
		t.Errorf("%d format label values, want at most %d", len(seen), maxFormats+1)
	}
	if !seen[Other] {
		t.Error("no format mapped to other past the cap")
	}
}

// Scrapes within ActiveTTL reuse one count of the active suppressions; a
// failed count gives no series rather than a stale one.
func TestActive_cached(t *testing.T) {
	calls := 0
	fail := false
	r := New(Sources{Active: func(context.Context) (map[string]int64, error) {
		calls++
		if fail {
			return nil, errors.New("redis down")
		}
		return map[string]int64{"all": int64(10 * calls)}, nil
	}}, nil)
	now := time.Unix(1e9, 0)
	r.now = func() time.Time { return now }
	text := func() string {
		var b strings.Builder
		if err := r.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for range 5 {
		if s := text(); !strings.Contains(s, `bounced_suppressions_active{scope="all"} 10`) {
			t.Fatalf("active series missing:\n%s", s)
		}
	}
	if calls != 1 {
		t.Errorf("5 scrapes within the TTL counted %d times, want 1", calls)
	}
	now = now.Add(ActiveTTL)
	fail = true
	if s := text(); strings.Contains(s, "bounced_suppressions_active{") {
		t.Errorf("a failed count still exports active suppressions:\n%s", s)
	}
	if calls != 2 {
		t.Errorf("calls = %d after the TTL, want 2", calls)
	}
}

// The histogram exports cumulative buckets, the count and the sum.
func TestHistogram_sumAndBuckets(t *testing.T) {
	h := NewHistogram()
	for _, v := range []float64{0.0005, 0.003, 0.003, 0.2, 100} {
		h.Observe(v)
	}
	r := New(Sources{Pipeline: func() Pipeline { return Pipeline{Latency: map[string]Histogram{"processed": h.Clone()}} }}, nil)
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`bounced_handle_seconds_bucket{outcome="processed",le="0.001"} 1`,
		`bounced_handle_seconds_bucket{outcome="processed",le="0.005"} 3`,
		`bounced_handle_seconds_bucket{outcome="processed",le="0.25"} 4`,
		`bounced_handle_seconds_bucket{outcome="processed",le="30"} 4`,
		`bounced_handle_seconds_bucket{outcome="processed",le="+Inf"} 5`,
		`bounced_handle_seconds_sum{outcome="processed"} 100.2065`,
		`bounced_handle_seconds_count{outcome="processed"} 5`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %s in:\n%s", want, b.String())
		}
	}
}
