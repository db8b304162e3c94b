package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bounced-dev/bounced/internal/suppress"
)

const suppressionsLong = `Reviews, searches, adds, lifts, imports and exports suppressions, the
allowlist and the audit trail, in the Redis store of the configuration.
Only the redis, policy and log sections are read (or --redis-url, or
$BOUNCED_REDIS_URL): no IMAP password nor API token is needed.

Output: a table on a terminal; JSON lines otherwise, or as --format says
(table, json, jsonl, csv); show prints one indented JSON object.

lift, add, import and allow add|remove are audited, and a lift queues a
suppression.removed event that the running daemon publishes to NATS.
check answers as SISMEMBER on the scope's set does (exit status 0
suppressed, 1 not, 2 error). allow add lifts what the entry covers.
delivered and deliveries report successful deliveries, which clear the
soft bounces counted for the addresses; deliveries reads a send log (see
docs/events.md). A policy change alters no suppression until reapply
lifts those the policy in effect would not make (a reason switched off,
an allowlisted address).`

func newSuppressionsCmd(s *streams) *cobra.Command {
	var so storeFlags
	c := group(s, "suppressions", "review, search, add, lift, import and export suppressions; the allowlist; the audit trail", suppressionsLong)
	so.register(c.PersistentFlags())
	// sub makes a subcommand that runs fn with the store.
	sub := func(use, short string, args cobra.PositionalArgs, fn func(ctx context.Context, st *suppress.Store, args []string) int) *cobra.Command {
		return &cobra.Command{
			Use: use, Short: short, Args: args,
			RunE: func(c *cobra.Command, args []string) error {
				st, client, code := so.connect(s, "bounced suppressions")
				if code != 0 {
					return exitCode(code)
				}
				defer client.Close()
				return exitCode(fn(c.Context(), st, args))
			},
		}
	}
	actor := func(c *cobra.Command, p *string) {
		c.Flags().StringVar(p, "actor", os.Getenv("USER"), "who makes the change (kept in the audit trail as cli:NAME; default $USER)")
	}

	// list
	var lo listOptions
	list := sub("list [flags]", "list suppressed addresses, newest first (by address with --prefix)", cobra.NoArgs,
		func(ctx context.Context, st *suppress.Store, _ []string) int { return suppressionsList(ctx, st, lo, s) })
	lf := list.Flags()
	lf.StringVar(&lo.q.Reason, "reason", "", "only this reason")
	lf.StringVar(&lo.q.Category, "category", "", "only this category")
	lf.StringVar(&lo.q.Scope, "scope", "", "only suppressions in this scope")
	lf.StringVar(&lo.q.Domain, "domain", "", "only this recipient domain")
	lf.StringVar(&lo.q.Carrier, "carrier", "", "only this carrier (docomo, au, softbank, rakuten, ...)")
	lf.StringVar(&lo.q.Prefix, "prefix", "", "only addresses that start with this (in address order)")
	lf.StringVar(&lo.since, "since", "", "only suppressions since this time (RFC 3339 or YYYY-MM-DD)")
	lf.StringVar(&lo.until, "until", "", "only suppressions before this time (RFC 3339 or YYYY-MM-DD)")
	lf.StringVar(&lo.q.Cursor, "cursor", "", "go on from a previous list's cursor")
	lf.IntVar(&lo.limit, "limit", 100, "at most this many (0: all)")
	lf.StringVar(&lo.format, "format", "", "table, json, jsonl or csv")
	lf.BoolVar(&lo.json, "json", false, "the same as --format json")

	// show
	var showFormat string
	show := sub("show [flags] ADDRESS", "show an address's record, every bounce seen for it and its audit trail", cobra.ExactArgs(1),
		func(ctx context.Context, st *suppress.Store, args []string) int {
			return suppressionsShow(ctx, st, args[0], showFormat, s)
		})
	show.Flags().StringVar(&showFormat, "format", "", "table or json (default: table on a terminal, json otherwise)")

	// add
	var ao addOptions
	add := sub("add [flags] ADDRESS...|-", "suppress addresses by hand (- reads them from stdin, one a line)", cobra.MinimumNArgs(1),
		func(ctx context.Context, st *suppress.Store, args []string) int {
			return suppressionsAdd(ctx, st, ao, args, s)
		})
	af := add.Flags()
	af.StringVar(&ao.a.Reason, "reason", "", "a reason of the vocabulary (default manual)")
	af.StringVar(&ao.a.Scope, "scope", "", "all (default), marketing, transactional or a stream of policy.streams")
	af.StringVar(&ao.a.Note, "note", "", "why (kept in the audit trail)")
	af.StringVar(&ao.expires, "expires", "", "end of the suppression: RFC 3339 time, or a duration from now (720h)")
	af.StringVar(&ao.format, "format", "", "table, json, jsonl or csv")
	actor(add, &ao.actor)

	// lift
	var note, liftActor string
	lift := sub("lift [flags] ADDRESS...", "lift suppressions (audited; the daemon publishes suppression.removed)", cobra.MinimumNArgs(1),
		func(ctx context.Context, st *suppress.Store, args []string) int {
			code := 0
			for _, a := range args {
				ok, err := st.Remove(ctx, a, cliActor(liftActor), note)
				switch {
				case err != nil:
					fmt.Fprintf(s.stderr, "bounced suppressions: %v\n", err)
					code = 1
				case !ok:
					fmt.Fprintf(s.stderr, "bounced suppressions: %s is not suppressed\n", a)
					code = 1
				default:
					fmt.Fprintf(s.stdout, "lifted %s\n", a)
				}
			}
			return code
		})
	lift.Flags().StringVar(&note, "note", "", "why the suppression is lifted (kept in the audit trail)")
	actor(lift, &liftActor)

	// import
	var io_ importOptions
	imp := sub("import [flags] FILE|-", "import suppressions from CSV or JSONL (bounced's, SES's or Mailgun's columns); idempotent", cobra.ExactArgs(1),
		func(ctx context.Context, st *suppress.Store, args []string) int {
			return suppressionsImport(ctx, st, io_, args[0], s)
		})
	imf := imp.Flags()
	imf.StringVar(&io_.fileFormat, "file-format", "", "csv or jsonl (default: by the file name, .jsonl or .ndjson for jsonl; csv for stdin)")
	imf.StringVar(&io_.note, "note", "", "kept on every record imported")
	imf.StringVar(&io_.format, "format", "", "the report: table or json (default: table on a terminal, json otherwise)")
	actor(imp, &io_.actor)

	// export
	var eo exportOptions
	exp := sub("export [flags]", "export every suppression as CSV or JSONL, in address order, streaming", cobra.NoArgs,
		func(ctx context.Context, st *suppress.Store, _ []string) int {
			return suppressionsExport(ctx, st, eo, s)
		})
	ef := exp.Flags()
	ef.StringVar(&eo.format, "format", suppress.FormatCSV, "csv or jsonl")
	ef.StringVar(&eo.columns, "columns", suppress.ColumnsBounced, "bounced, ses (EmailAddress, Reason, LastUpdateTime) or mailgun (address, code, error, created_at)")
	ef.StringVarP(&eo.output, "output", "o", "", "write to this file instead of stdout")

	// audit
	var uo auditOptions
	aud := sub("audit [flags]", "show the audit trail: lifts, additions, imports, allowlist changes, newest first", cobra.NoArgs,
		func(ctx context.Context, st *suppress.Store, _ []string) int {
			return suppressionsAudit(ctx, st, uo, s)
		})
	uf := aud.Flags()
	uf.IntVar(&uo.limit, "limit", 100, fmt.Sprintf("at most this many (at most %d are kept)", suppress.AuditLength))
	uf.StringVar(&uo.address, "address", "", "only the entries about this address")
	uf.StringVar(&uo.format, "format", "", "table, json, jsonl or csv")

	// check
	var scope string
	var checkJSON bool
	check := sub("check [flags] ADDRESS", "exit 0 when the address is suppressed for the scope, 1 when not", cobra.ExactArgs(1),
		func(ctx context.Context, st *suppress.Store, args []string) int {
			return suppressionsCheck(ctx, st, scope, checkJSON, args[0], s.stdout, s.stderr)
		})
	check.Flags().StringVar(&scope, "scope", suppress.ScopeAll, "scope: all, transactional, marketing or a stream of policy.streams")
	check.Flags().BoolVar(&checkJSON, "json", false, "print JSON")

	// reapply
	var dry bool
	var reActor string
	reapply := sub("reapply [flags]", "lift what the policy in effect would not suppress", cobra.NoArgs,
		func(ctx context.Context, st *suppress.Store, _ []string) int {
			lifted, err := st.Reapply(ctx, cliActor(reActor), dry)
			for _, a := range lifted {
				fmt.Fprintln(s.stdout, a)
			}
			if err != nil {
				fmt.Fprintf(s.stderr, "bounced suppressions: %v\n", err)
				return 1
			}
			verb := "lifted"
			if dry {
				verb = "would lift"
			}
			fmt.Fprintf(s.stdout, "%s %d suppressions\n", verb, len(lifted))
			return 0
		})
	reapply.Flags().BoolVar(&dry, "dry-run", false, "only list what would be lifted")
	actor(reapply, &reActor)

	// delivered, deliveries
	var at string
	delivered := sub("delivered [flags] ADDRESS...", "report successful deliveries: they clear the soft bounces counted", cobra.MinimumNArgs(1),
		func(ctx context.Context, st *suppress.Store, args []string) int {
			return suppressionsDelivered(ctx, st, at, args, s.stdout, s.stderr)
		})
	delivered.Flags().StringVar(&at, "at", "", "when they were delivered (RFC 3339; default now)")
	deliveries := sub("deliveries FILE|-", "read a send log (bounced's or Postfix's) and report its deliveries", cobra.ExactArgs(1),
		func(ctx context.Context, st *suppress.Store, args []string) int {
			return suppressionsDeliveries(ctx, st, args[0], s.stdin, s.stdout, s.stderr)
		})

	c.AddCommand(list, show, add, lift, imp, exp, aud, check, newAllowCmd(s, sub, actor), reapply, delivered, deliveries)
	return c
}

// cliActor names who makes a change from the command line in the audit
// trail: cli:NAME, or cli when no name is known.
func cliActor(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return "cli"
	}
	return "cli:" + name
}

// listOptions are the flags of suppressions list.
type listOptions struct {
	q            suppress.QueryOptions
	since, until string
	limit        int
	format       string
	json         bool
}

// recordHeader and recordRow are the columns of a suppression in a table
// and in CSV.
var recordHeader = []string{"address", "reason", "category", "scope", "hard", "count", "suppressed_at", "expires_at", "carrier", "status", "diagnostic"}

func recordRow(r suppress.Record, table bool) []string {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		if table {
			return t.Local().Format(time.DateTime)
		}
		return t.UTC().Format(time.RFC3339)
	}
	exp := ts(r.ExpiresAt)
	diag := r.Diagnostic
	if table {
		if exp == "" {
			exp = "never"
		}
		diag = clip(diag, 60)
	}
	return []string{r.Address, r.Reason, r.Category, r.Scope, strconv.FormatBool(r.Hard), strconv.Itoa(r.Count),
		ts(r.SuppressedAt), exp, r.Carrier, r.Status, diag}
}

func upper(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		out[i] = strings.ToUpper(strings.ReplaceAll(s, "_", " "))
	}
	return out
}

// clip shortens s to n characters.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// parseTimeFlag reads an RFC 3339 time or a date (UTC).
func parseTimeFlag(name, v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--%s %q: want an RFC 3339 time (2025-03-14T09:00:00Z) or a date (2025-03-14)", name, v)
}

// suppressionsList prints the suppressions that match, following the
// store's cursor page by page up to --limit; JSON lines and CSV are
// written page by page, so an unlimited list streams.
func suppressionsList(ctx context.Context, st *suppress.Store, o listOptions, s *streams) int {
	if o.json && o.format == "" {
		o.format = formatJSON
	}
	format, err := outputFormat(s.stdout, o.format, formatJSONL, formatTable, formatJSON, formatJSONL, formatCSV)
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions list: %v\n", err)
		return 2
	}
	for _, p := range []struct {
		name, v string
		dst     *time.Time
	}{{"since", o.since, &o.q.Since}, {"until", o.until, &o.q.Until}} {
		if p.v == "" {
			continue
		}
		if *p.dst, err = parseTimeFlag(p.name, p.v); err != nil {
			fmt.Fprintf(s.stderr, "bounced suppressions list: %v\n", err)
			return 2
		}
	}
	if o.limit < 0 {
		fmt.Fprintln(s.stderr, "bounced suppressions list: --limit must not be negative")
		return 2
	}
	var (
		recs  []suppress.Record
		total *int64
		n     int
		enc   = newJSONL(s.stdout)
		cw    = newCSVWriter(s.stdout)
	)
	if format == formatCSV {
		cw.write(recordHeader)
	}
	for first := true; ; first = false {
		o.q.Limit = suppress.MaxPageSize
		if o.limit > 0 {
			o.q.Limit = min(suppress.MaxPageSize, o.limit-n)
		}
		page, err := st.Query(ctx, o.q)
		if errors.Is(err, suppress.ErrInvalid) {
			fmt.Fprintf(s.stderr, "bounced suppressions list: %v\n", err)
			return 2
		}
		if err != nil {
			fmt.Fprintf(s.stderr, "bounced suppressions list: %v\n", err)
			return 1
		}
		if first {
			total = page.Total
		}
		n += len(page.Records)
		switch format {
		case formatJSONL:
			for _, r := range page.Records {
				if err := enc.Encode(r); err != nil {
					return 1 // stdout is gone (a closed pipe)
				}
			}
		case formatCSV:
			for _, r := range page.Records {
				cw.write(recordRow(r, false))
			}
			if err := cw.flush(); err != nil {
				return 1
			}
		default:
			recs = append(recs, page.Records...)
		}
		o.q.Cursor = page.Next
		if page.Next == "" || (o.limit > 0 && n >= o.limit) {
			break
		}
		if ctx.Err() != nil {
			fmt.Fprintln(s.stderr, "bounced suppressions list: interrupted")
			return 1
		}
	}
	switch format {
	case formatJSON:
		if recs == nil {
			recs = []suppress.Record{}
		}
		writeJSON(s.stdout, suppress.Page{Records: recs, Next: o.q.Cursor, Total: total})
		return 0
	case formatTable:
		rows := make([][]string, 0, len(recs))
		for _, r := range recs {
			rows = append(rows, recordRow(r, true))
		}
		writeTable(s.stdout, upper(recordHeader), rows)
		of := ""
		if total != nil {
			of = fmt.Sprintf(" of %d", *total)
		}
		fmt.Fprintf(s.stdout, "%d%s suppressed addresses\n", n, of)
	}
	if o.q.Cursor != "" {
		fmt.Fprintf(s.stderr, "bounced suppressions list: more: --cursor %s\n", o.q.Cursor)
	}
	return 0
}

// showResult is what suppressions show prints: the record, every entry
// seen for the address and its audit trail (as GET /api/v1/suppressions/{address}).
type showResult struct {
	*suppress.Record
	Bounces []suppress.HistoryEntry `json:"bounces"`
	Audit   []suppress.AuditEntry   `json:"audit"`
}

func suppressionsShow(ctx context.Context, st *suppress.Store, addr, format string, s *streams) int {
	format, err := outputFormat(s.stdout, format, formatJSON, formatTable, formatJSON)
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions show: %v\n", err)
		return 2
	}
	rec, err := st.Get(ctx, addr)
	if errors.Is(err, suppress.ErrNotFound) {
		fmt.Fprintf(s.stderr, "bounced suppressions: %s is not known\n", addr)
		return 1
	}
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions: %v\n", err)
		return 1
	}
	res := showResult{Record: rec}
	if res.Bounces, err = st.History(ctx, addr); err == nil {
		res.Audit, err = st.AddressAudit(ctx, addr)
	}
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions: %v\n", err)
		return 1
	}
	if format == formatJSON {
		writeJSON(s.stdout, res)
		return 0
	}
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Local().Format(time.DateTime)
	}
	var faults []string
	for _, f := range rec.Faults {
		faults = append(faults, string(f.Code))
	}
	var kv [][]string
	for _, p := range [][2]string{
		{"address", rec.Address}, {"as written", rec.AsWritten}, {"suppressed", strconv.FormatBool(rec.Suppressed)},
		{"scope", rec.Scope}, {"reason", rec.Reason}, {"category", rec.Category}, {"kind", rec.Kind},
		{"hard", strconv.FormatBool(rec.Hard)}, {"count", strconv.Itoa(rec.Count)}, {"suppressed at", ts(rec.SuppressedAt)},
		{"expires at", ts(rec.ExpiresAt)}, {"first seen", ts(rec.FirstSeen)}, {"last seen", ts(rec.LastSeen)},
		{"carrier", rec.Carrier}, {"faults", strings.Join(faults, ", ")}, {"suggestion", rec.Suggestion},
		{"policy", rec.Policy}, {"hint", rec.Hint}, {"status", rec.Status}, {"reply code", rec.ReplyCode},
		{"server said", rec.Diagnostic}, {"remote mta", rec.RemoteMTA}, {"reporting mta", rec.ReportingMTA},
		{"format", rec.Format}, {"rule", rec.Rule}, {"confidence", rec.Confidence},
		{"original subject", rec.OriginalSubject}, {"original message-id", rec.OriginalMessageID},
		{"verification", rec.Verification}, {"source", rec.Source}, {"raw", rec.Raw}, {"note", rec.Note},
		{"last delivered", ts(rec.LastDelivered)}, {"lifted at", ts(rec.LiftedAt)}, {"lifted by", rec.LiftedBy},
	} {
		if p[1] != "" {
			kv = append(kv, []string{p[0], p[1]})
		}
	}
	writeTable(s.stdout, []string{"FIELD", "VALUE"}, kv)
	fmt.Fprintf(s.stdout, "\nbounces seen (%d)\n", len(res.Bounces))
	var rows [][]string
	for _, h := range res.Bounces {
		rows = append(rows, []string{ts(h.At), h.Kind, h.Reason, h.Status, h.RemoteMTA, clip(h.Diagnostic, 60)})
	}
	writeTable(s.stdout, []string{"AT", "KIND", "REASON", "STATUS", "REMOTE MTA", "SERVER SAID"}, rows)
	fmt.Fprintf(s.stdout, "\naudit (%d)\n", len(res.Audit))
	rows = rows[:0]
	for _, a := range res.Audit {
		rows = append(rows, []string{ts(a.At), a.Action, a.Actor, a.Scope, a.Reason, a.Note})
	}
	writeTable(s.stdout, []string{"AT", "ACTION", "ACTOR", "SCOPE", "REASON", "NOTE"}, rows)
	return 0
}

// addOptions are the flags of suppressions add.
type addOptions struct {
	a       suppress.Addition
	expires string
	actor   string
	format  string
}

func suppressionsAdd(ctx context.Context, st *suppress.Store, o addOptions, args []string, s *streams) int {
	format, err := outputFormat(s.stdout, o.format, formatJSONL, formatTable, formatJSON, formatJSONL, formatCSV)
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions add: %v\n", err)
		return 2
	}
	if o.expires != "" {
		if d, err := time.ParseDuration(o.expires); err == nil && d > 0 {
			o.a.ExpiresAt = time.Now().Add(d)
		} else if o.a.ExpiresAt, err = time.Parse(time.RFC3339, o.expires); err != nil {
			fmt.Fprintf(s.stderr, "bounced suppressions add: --expires %q: want an RFC 3339 time or a duration (720h)\n", o.expires)
			return 2
		}
	}
	addrs, err := readArgs(args, s.stdin)
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions add: %v\n", err)
		return 2
	}
	var results []suppress.AddResult
	for len(addrs) > 0 {
		n := min(len(addrs), suppress.MaxBatch)
		adds := make([]suppress.Addition, n)
		for i, a := range addrs[:n] {
			adds[i] = o.a
			adds[i].Address = a
		}
		addrs = addrs[n:]
		res, err := st.Add(ctx, cliActor(o.actor), adds)
		if err != nil {
			fmt.Fprintf(s.stderr, "bounced suppressions add: %v\n", err)
			return 1
		}
		results = append(results, res...)
	}
	code := 0
	for _, r := range results {
		if r.Status == suppress.AddRefused {
			code = 1
		}
	}
	writeList(s.stdout, format, "results", results, []string{"address", "status", "error"},
		func(r suppress.AddResult, _ bool) []string { return []string{r.Address, r.Status, r.Error} })
	return code
}

// readArgs returns args with "-" replaced by the non-empty lines of stdin.
func readArgs(args []string, stdin io.Reader) ([]string, error) {
	var out []string
	for _, a := range args {
		if a != "-" {
			out = append(out, a)
			continue
		}
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64<<10), 64<<10)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				out = append(out, line)
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
	}
	return out, nil
}

// importOptions are the flags of suppressions import.
type importOptions struct {
	fileFormat, note, actor, format string
}

func suppressionsImport(ctx context.Context, st *suppress.Store, o importOptions, path string, s *streams) int {
	format, err := outputFormat(s.stdout, o.format, formatJSON, formatTable, formatJSON)
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions import: %v\n", err)
		return 2
	}
	ff := o.fileFormat
	if ff == "" {
		ff = suppress.FormatCSV
		switch strings.ToLower(filepath.Ext(path)) {
		case ".jsonl", ".ndjson":
			ff = suppress.FormatJSONL
		}
	}
	if ff != suppress.FormatCSV && ff != suppress.FormatJSONL {
		fmt.Fprintf(s.stderr, "bounced suppressions import: --file-format %q: want csv or jsonl\n", ff)
		return 2
	}
	var r io.Reader = s.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(s.stderr, "bounced suppressions import: %v\n", err)
			return 2
		}
		defer f.Close()
		r = f
	}
	rep, err := st.Import(ctx, r, suppress.ImportOptions{Format: ff, Actor: cliActor(o.actor), Note: o.note})
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions import: %v\n", err)
		if errors.Is(err, suppress.ErrInvalid) {
			return 2
		}
		return 1
	}
	if format == formatJSON {
		writeJSON(s.stdout, rep)
	} else {
		fmt.Fprintf(s.stdout, "%d rows (%s columns): %d added, %d widened, %d extended, %d unchanged, %d refused\n",
			rep.Rows, rep.Columns, rep.Added, rep.Widened, rep.Extended, rep.Unchanged, rep.Refused)
		if len(rep.RefusedRows) > 0 {
			var rows [][]string
			for _, x := range rep.RefusedRows {
				rows = append(rows, []string{strconv.Itoa(x.Line), x.Address, x.Error})
			}
			writeTable(s.stdout, []string{"LINE", "ADDRESS", "REFUSED BECAUSE"}, rows)
		}
	}
	if rep.Refused > 0 {
		return 1
	}
	return 0
}

// exportOptions are the flags of suppressions export.
type exportOptions struct {
	format, columns, output string
}

func suppressionsExport(ctx context.Context, st *suppress.Store, o exportOptions, s *streams) int {
	if o.format != suppress.FormatCSV && o.format != suppress.FormatJSONL {
		fmt.Fprintf(s.stderr, "bounced suppressions export: --format %q: want csv or jsonl\n", o.format)
		return 2
	}
	var w io.Writer = s.stdout
	var bw *bufio.Writer
	if o.output != "" {
		f, err := os.OpenFile(o.output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			fmt.Fprintf(s.stderr, "bounced suppressions export: %v\n", err)
			return 1
		}
		defer f.Close()
		bw = bufio.NewWriterSize(f, 256<<10)
		w = bw
	} else if isTerminal(s.stdout) {
		pw := &printableWriter{w: s.stdout}
		defer pw.Close()
		w = pw
	}
	flush := func() {
		if bw != nil {
			bw.Flush()
		}
	}
	n, err := st.Export(ctx, w, o.format, o.columns, flush)
	if err == nil && bw != nil {
		err = bw.Flush()
	}
	if errors.Is(err, suppress.ErrInvalid) {
		fmt.Fprintf(s.stderr, "bounced suppressions export: %v\n", err)
		return 2
	}
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions export: %v\n", err)
		return 1
	}
	if o.output != "" {
		fmt.Fprintf(s.stderr, "bounced suppressions export: %d rows written to %s\n", n, o.output)
	}
	return 0
}

// auditOptions are the flags of suppressions audit.
type auditOptions struct {
	limit           int
	address, format string
}

func suppressionsAudit(ctx context.Context, st *suppress.Store, o auditOptions, s *streams) int {
	format, err := outputFormat(s.stdout, o.format, formatJSONL, formatTable, formatJSON, formatJSONL, formatCSV)
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions audit: %v\n", err)
		return 2
	}
	if o.limit <= 0 {
		o.limit = suppress.AuditLength
	}
	var es []suppress.AuditEntry
	if o.address != "" {
		es, err = st.AddressAudit(ctx, o.address)
		es = es[:min(len(es), o.limit)]
	} else {
		es, err = st.Audit(ctx, min(o.limit, suppress.AuditLength))
	}
	if errors.Is(err, suppress.ErrInvalid) {
		fmt.Fprintf(s.stderr, "bounced suppressions audit: %v\n", err)
		return 2
	}
	if err != nil {
		fmt.Fprintf(s.stderr, "bounced suppressions audit: %v\n", err)
		return 1
	}
	header := []string{"at", "action", "address", "actor", "scope", "reason", "note"}
	writeList(s.stdout, format, "audit", es, header, func(e suppress.AuditEntry, table bool) []string {
		at := e.At.UTC().Format(time.RFC3339)
		if table {
			at = e.At.Local().Format(time.DateTime)
		}
		return []string{at, e.Action, e.Address, e.Actor, e.Scope, e.Reason, e.Note}
	})
	return 0
}
