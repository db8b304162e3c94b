package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bounced-dev/bounced/internal/suppress"
)

// statsOptions are the flags of bounced stats.
type statsOptions struct {
	since, until string
	top          int
	by, format   string
}

func newStatsCmd(s *streams) *cobra.Command {
	var so storeFlags
	var o statsOptions
	c := &cobra.Command{
		Use:   "stats [flags]",
		Short: "bounces and complaints per day, by category, reason, recipient domain or carrier",
		Long: `Prints the store's counters of each UTC day (as GET /api/v1/stats): every
entry applied, the addresses it suppressed anew, and the bounces and
complaints by category, reason, recipient domain and carrier. The table
and CSV have a column for each key of --by; JSON and JSON lines hold them
all. Only the redis, policy and log sections of the configuration are
read (or --redis-url).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			st, client, code := so.connect(s, "bounced stats")
			if code != 0 {
				return exitCode(code)
			}
			defer client.Close()
			return exitCode(cmdStats(c.Context(), st, o, s))
		},
	}
	so.register(c.Flags())
	f := c.Flags()
	f.StringVar(&o.since, "since", "", "first day, YYYY-MM-DD (default 29 days before --until)")
	f.StringVar(&o.until, "until", "", "last day, YYYY-MM-DD (default today)")
	f.IntVar(&o.top, "top-domains", 0, "domains listed a day, the rest summed as (other) (default 20)")
	f.StringVar(&o.by, "by", "category", "the columns of the table and CSV: category, reason, domain, carrier or kind")
	f.StringVar(&o.format, "format", "", "table, json, jsonl or csv")
	return c
}

func cmdStats(ctx context.Context, st *suppress.Store, o statsOptions, s *streams) int {
	format, err := outputFormat(s.stdout, o.format, formatJSONL, formatTable, formatJSON, formatJSONL, formatCSV)
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced stats: %v\n", err)
		return 2
	}
	pick := map[string]func(d suppress.DayStats) map[string]int64{
		"category": func(d suppress.DayStats) map[string]int64 { return d.Category },
		"reason":   func(d suppress.DayStats) map[string]int64 { return d.Reason },
		"domain":   func(d suppress.DayStats) map[string]int64 { return d.Domain },
		"carrier":  func(d suppress.DayStats) map[string]int64 { return d.Carrier },
		"kind":     func(d suppress.DayStats) map[string]int64 { return d.Kind },
	}[o.by]
	if pick == nil {
		fmt.Fprintf(s.stderr, "bounced stats: --by %q: want category, reason, domain, carrier or kind\n", o.by)
		return 2
	}
	var so suppress.StatsOptions
	for _, p := range []struct {
		name, v string
		dst     *time.Time
	}{{"since", o.since, &so.Since}, {"until", o.until, &so.Until}} {
		if p.v == "" {
			continue
		}
		if *p.dst, err = time.Parse(time.DateOnly, p.v); err != nil {
			fmt.Fprintf(s.stderr, "bounced stats: --%s %q: want a date, YYYY-MM-DD\n", p.name, p.v)
			return 2
		}
	}
	so.TopDomains = o.top
	days, err := st.Stats(ctx, so)
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced stats: %v\n", err)
		return 1
	}
	switch format {
	case formatJSON:
		if days == nil {
			days = []suppress.DayStats{}
		}
		writeJSON(s.stdout, map[string]any{"days": days})
		return 0
	case formatJSONL:
		enc := newJSONL(s.stdout)
		for _, d := range days {
			enc.Encode(d)
		}
		return 0
	}
	// The columns: every key of --by seen on a day of the span, the
	// largest total first.
	sum := map[string]int64{}
	for _, d := range days {
		for k, v := range pick(d) {
			sum[k] += v
		}
	}
	keys := make([]string, 0, len(sum))
	for k := range sum {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(sum[b], sum[a]), strings.Compare(a, b))
	})
	header := append([]string{"day", "total", "suppressed"}, keys...)
	rows := make([][]string, 0, len(days))
	for _, d := range days {
		m := pick(d)
		row := []string{d.Day, strconv.FormatInt(d.Total, 10), strconv.FormatInt(d.Suppressed, 10)}
		for _, k := range keys {
			row = append(row, strconv.FormatInt(m[k], 10))
		}
		rows = append(rows, row)
	}
	if format == formatCSV {
		cw := newCSVWriter(s.stdout)
		cw.write(header)
		for _, r := range rows {
			cw.write(r)
		}
		cw.flush()
		return 0
	}
	writeTable(s.stdout, append(upper(header[:3]), keys...), rows)
	return 0
}
