package suppress

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// MaxStatsDays is the longest span Stats answers for; counters are kept
// 400 days.
const MaxStatsDays = 400

// DayStats are the counters of one UTC day, written by Apply for every
// entry it applies (not for duplicates nor repeats): bounces and
// complaints by category, reason, recipient domain and carrier.
type DayStats struct {
	// Day is the UTC date, YYYY-MM-DD.
	Day string `json:"day"`
	// Total counts every entry applied; Suppressed those that suppressed
	// an address anew.
	Total      int64 `json:"total"`
	Suppressed int64 `json:"suppressed"`
	// Kind counts entries by kind (bounce, complaint, delay, ...).
	Kind map[string]int64 `json:"kind"`
	// Category, Reason, Domain and Carrier count bounces and complaints.
	// Domain holds the StatsOptions.TopDomains largest, the rest summed
	// under "(other)".
	Category map[string]int64 `json:"category"`
	Reason   map[string]int64 `json:"reason"`
	Domain   map[string]int64 `json:"domain"`
	Carrier  map[string]int64 `json:"carrier"`
}

// StatsOptions select the days of Stats.
type StatsOptions struct {
	// Since and Until are the first and last day (UTC dates); by default
	// the last 30 days up to today.
	Since, Until time.Time
	// TopDomains is how many domains each day lists (default 20).
	TopDomains int
}

// Stats returns the counters of each day from o.Since to o.Until, oldest
// first.
func (s *Store) Stats(ctx context.Context, o StatsOptions) ([]DayStats, error) {
	until := o.Until
	if until.IsZero() {
		until = s.now()
	}
	until = until.UTC().Truncate(24 * time.Hour)
	since := o.Since
	if since.IsZero() {
		since = until.AddDate(0, 0, -29)
	}
	since = since.UTC().Truncate(24 * time.Hour)
	if since.After(until) {
		return nil, fmt.Errorf("%w: stats: since after until", ErrInvalid)
	}
	if until.Sub(since) > MaxStatsDays*24*time.Hour {
		return nil, fmt.Errorf("%w: stats: more than %d days", ErrInvalid, MaxStatsDays)
	}
	top := o.TopDomains
	if top <= 0 {
		top = 20
	}
	pipe := s.c.Pipeline()
	var days []string
	var cmds []*redis.MapStringStringCmd
	for d := since; !d.After(until); d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		days = append(days, day)
		cmds = append(cmds, pipe.HGetAll(ctx, s.key("stats", day)))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("suppress: stats: %w", err)
	}
	out := make([]DayStats, len(days))
	for i, day := range days {
		st := DayStats{Day: day, Kind: map[string]int64{}, Category: map[string]int64{}, Reason: map[string]int64{},
			Domain: map[string]int64{}, Carrier: map[string]int64{}}
		for k, v := range cmds[i].Val() {
			n, _ := strconv.ParseInt(v, 10, 64)
			group, name, _ := strings.Cut(k, ":")
			switch group {
			case "total":
				st.Total = n
			case "suppressed":
				st.Suppressed = n
			case "kind":
				st.Kind[name] = n
			case "category":
				st.Category[name] = n
			case "reason":
				st.Reason[name] = n
			case "domain":
				st.Domain[name] = n
			case "carrier":
				st.Carrier[name] = n
			}
		}
		st.Domain = topN(st.Domain, top)
		out[i] = st
	}
	return out, nil
}

// topN keeps the n largest counts of m and sums the others under "(other)".
func topN(m map[string]int64, n int) map[string]int64 {
	if len(m) <= n {
		return m
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	out := make(map[string]int64, n+1)
	for i, k := range keys {
		if i < n {
			out[k] = m[k]
		} else {
			out["(other)"] += m[k]
		}
	}
	return out
}
