package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"
	"golang.org/x/text/width"

	"github.com/bounced-dev/bounced/addrcheck"
)

const checkLong = `Checks each address for the faults that keep mail from arriving (a dot
right before "@", consecutive dots, full-width characters, a comma for a
dot, mistyped provider domains such as docomo.ne.jo, ...), says how to fix
each and prints the corrected address when one can be derived. "-" reads
addresses from standard input, one a line. With --dns, the domain's mail
hosts are looked up too (MX, else A/AAAA; NXDOMAIN; null MX).

Output: a table on a terminal, JSON (an array of results) otherwise or
with --format json.

Exit status: 0 no address has a fault; 1 at least one has a fault (error
or warning); 2 usage error; 3 a DNS lookup failed (the answer is unknown).
`

// checkOptions are the flags of bounced check.
type checkOptions struct {
	format, lang, resolver string
	dns                    bool
	timeout                time.Duration
}

func newCheckCmd(s *streams) *cobra.Command {
	var o checkOptions
	c := &cobra.Command{
		Use:   "check [flags] ADDRESS...|-",
		Short: "find what keeps mail from arriving at addresses, and how to fix it",
		Long:  checkLong,
		Args:  cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			var usage strings.Builder
			printUsage(&usage, c)
			return exitCode(cmdCheck(c.Context(), o, args, usage.String(), s))
		},
	}
	f := c.Flags()
	f.StringVar(&o.format, "format", "", "output format: table or json (default: table on a terminal, json otherwise)")
	f.StringVar(&o.lang, "lang", "en", "language of the table's messages: en or ja")
	f.BoolVar(&o.dns, "dns", false, "look the domains' mail hosts up in the DNS")
	f.StringVar(&o.resolver, "resolver", "", "DNS server HOST:PORT for --dns (default: the first nameserver of /etc/resolv.conf)")
	f.DurationVar(&o.timeout, "timeout", addrcheck.DefaultDNSTimeout, "timeout of one DNS query")
	return c
}

func cmdCheck(ctx context.Context, co checkOptions, addrs []string, usage string, s *streams) int {
	stdin, stdout, stderr := s.stdin, s.stdout, s.stderr
	format, lang, useDNS, resolver, timeout := &co.format, &co.lang, &co.dns, &co.resolver, &co.timeout
	if *resolver != "" {
		*useDNS = true
	}
	switch *format {
	case "":
		*format = "json"
		if isTerminal(stdout) {
			*format = "table"
		}
	case "table", "json":
	default:
		fmt.Fprintf(stderr, "bounced check: unknown format %q (want table or json)\n", *format)
		return 2
	}
	if *lang != "en" && *lang != "ja" {
		fmt.Fprintf(stderr, "bounced check: unknown language %q (want en or ja)\n", *lang)
		return 2
	}
	var list []string
	for _, a := range addrs {
		if a != "-" {
			list = append(list, a)
			continue
		}
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64*1024), 64*1024)
		for sc.Scan() {
			if line := strings.TrimRight(sc.Text(), "\r"); strings.TrimSpace(line) != "" {
				list = append(list, line)
			}
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintf(stderr, "bounced check: reading standard input: %v\n", err)
			return 2
		}
	}
	if len(list) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}

	var o addrcheck.Options
	if *useDNS {
		o.Resolver = &addrcheck.DNSResolver{Server: *resolver, Timeout: *timeout}
	}
	c, err := addrcheck.New(o)
	if err != nil {
		fmt.Fprintf(stderr, "bounced check: %v\n", err)
		return 2
	}
	code := 0
	results := make([]addrcheck.Result, 0, len(list))
	for _, a := range list {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "bounced check: interrupted")
			return 3
		}
		r, err := c.CheckContext(ctx, a)
		if err != nil {
			fmt.Fprintf(stderr, "bounced check: %s: %v\n", sanitize(a), err)
			code = 3
		}
		if len(r.Faults) > 0 && code == 0 {
			code = 1
		}
		results = append(results, r)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			fmt.Fprintf(stderr, "bounced check: %v\n", err)
			return 2
		}
		return code
	}
	writeCheckTable(stdout, results, *lang)
	return code
}

// writeCheckTable prints one row per fault (one "ok" row for an address
// without any).
func writeCheckTable(w io.Writer, results []addrcheck.Result, lang string) {
	rows := [][]string{{"ADDRESS", "CARRIER", "SEVERITY", "FAULT", "SUGGESTION", "MESSAGE"}}
	for _, r := range results {
		addr, carrier := sanitize(r.Address), r.Carrier
		if carrier == "" {
			carrier = "-"
		}
		if len(r.Faults) == 0 {
			note := ""
			if r.DNS != nil && len(r.DNS.MX) > 0 {
				note = "MX " + strings.Join(r.DNS.MX, ", ")
			} else if r.DNS != nil && r.DNS.ImplicitMX {
				note = "no MX, address " + strings.Join(r.DNS.Addresses, ", ")
			}
			rows = append(rows, []string{addr, carrier, "ok", "-", "-", note})
		}
		for _, f := range r.Faults {
			msg := f.Message
			if lang == "ja" {
				msg = f.MessageJA
			}
			sug := f.Suggestion
			if sug == "" {
				sug = "-"
			}
			rows = append(rows, []string{addr, carrier, string(f.Severity), string(f.Code), sanitize(sug), sanitize(msg)})
		}
		if r.DNS != nil && r.DNS.Error != "" {
			rows = append(rows, []string{addr, carrier, "-", "dns_error", "-", sanitize(r.DNS.Error)})
		}
	}
	// Columns are padded by display width: a full-width character takes two
	// cells of a terminal (text/tabwriter counts it as one).
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row[:len(row)-1] {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		b.Reset()
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// displayWidth is the number of terminal cells s takes: two for East Asian
// wide and full-width characters (UAX #11), one for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// sanitize makes text safe for a terminal and a table: control, format
// and tab characters are shown as \uXXXX escapes, never sent as they are.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			fmt.Fprintf(&b, "\\u%04X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
