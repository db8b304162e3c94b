package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bounced-dev/bounced/internal/parsecmd"
	"github.com/bounced-dev/bounced/internal/suppress"
)

// suppressionsCheck answers whether addr is suppressed for a scope, as
// the store's IsSuppressed (one SISMEMBER) does: exit status 0 when
// suppressed, 1 when not, 2 on an error.
func suppressionsCheck(ctx context.Context, store *suppress.Store, scope string, asJSON bool, addr string, stdout, stderr io.Writer) int {
	sup, err := store.IsSuppressed(ctx, addr, scope)
	if err != nil {
		fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
		return 2
	}
	norm, _ := suppress.NormalizeAddress(addr)
	if asJSON {
		json.NewEncoder(stdout).Encode(map[string]any{"address": norm, "scope": scope, "suppressed": sup})
	} else if sup {
		fmt.Fprintf(stdout, "%s is suppressed for %s mail\n", parsecmd.Printable(norm), scope)
	} else {
		fmt.Fprintf(stdout, "%s is not suppressed for %s mail\n", parsecmd.Printable(norm), scope)
	}
	if sup {
		return 0
	}
	return 1
}

// storeSub makes a subcommand of suppressions that runs with the store.
type storeSub func(use, short string, args cobra.PositionalArgs, fn func(ctx context.Context, st *suppress.Store, args []string) int) *cobra.Command

// newAllowCmd returns suppressions allow add|remove|list: the allowlist.
func newAllowCmd(s *streams, sub storeSub, actor func(*cobra.Command, *string)) *cobra.Command {
	c := group(s, "allow", "manage the allowlist: addresses and domains never suppressed", `Manages the allowlist of the store: an address or a domain on it is never
suppressed (its bounces are still recorded and published, allowlisted).
allow add lifts what the entry covers; add and remove are audited. list
shows the configuration's entries (policy.allowlist) and the store's.`)
	change := func(op string) *cobra.Command {
		var note, who string
		short := "allowlist an address or a domain (lifts what it covers)"
		if op == "remove" {
			short = "take an address or a domain off the store's allowlist"
		}
		cmd := sub(op+" [flags] ADDRESS|DOMAIN", short, cobra.ExactArgs(1), func(ctx context.Context, st *suppress.Store, args []string) int {
			return suppressionsAllow(ctx, st, op, args[0], cliActor(who), note, s.stdout, s.stderr)
		})
		cmd.Flags().StringVar(&note, "note", "", "why (kept in the audit trail)")
		actor(cmd, &who)
		return cmd
	}
	var format string
	list := sub("list [flags]", "list the allowlist", cobra.NoArgs, func(ctx context.Context, st *suppress.Store, _ []string) int {
		f, err := outputFormat(s.stdout, format, formatJSONL, formatTable, formatJSON, formatJSONL, formatCSV)
		if err != nil {
			fmt.Fprintf(s.stderr, "bounced suppressions allow list: %v\n", err)
			return 2
		}
		list, err := st.AllowList(ctx)
		if err != nil {
			fmt.Fprintf(s.stderr, "bounced suppressions: %v\n", err)
			return 1
		}
		writeList(s.stdout, f, "allowlist", list, []string{"entry", "source"},
			func(e suppress.AllowEntry, _ bool) []string { return []string{e.Entry, e.Source} })
		return 0
	})
	list.Flags().StringVar(&format, "format", "", "table, json, jsonl or csv")
	c.AddCommand(change("add"), change("remove"), list)
	return c
}

// suppressionsAllow adds entry to the allowlist (op "add") or removes it.
func suppressionsAllow(ctx context.Context, store *suppress.Store, op, entry, actor, note string, stdout, stderr io.Writer) int {
	var changed bool
	var err error
	if op == "add" {
		changed, err = store.Allow(ctx, entry, actor, note)
	} else {
		changed, err = store.Disallow(ctx, entry, actor, note)
	}
	if errors.Is(err, suppress.ErrInvalid) {
		fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
		return 1
	}
	entry, _ = suppress.NormalizeAllowEntry(entry)
	switch {
	case op == "add" && changed:
		fmt.Fprintf(stdout, "allowlisted %s\n", entry)
	case op == "add":
		fmt.Fprintf(stdout, "%s was already allowlisted\n", entry)
	case changed:
		fmt.Fprintf(stdout, "%s is no longer allowlisted\n", entry)
	default:
		fmt.Fprintf(stderr, "bounced suppressions: %s is not in the store's allowlist\n", entry)
		return 1
	}
	return 0
}

// suppressionsDelivered reports successful deliveries to the addresses.
func suppressionsDelivered(ctx context.Context, store *suppress.Store, atFlag string, addrs []string, stdout, stderr io.Writer) int {
	var at time.Time
	if atFlag != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, atFlag); err != nil {
			fmt.Fprintf(stderr, "bounced suppressions: --at: %v\n", err)
			return 2
		}
	}
	code := 0
	for _, a := range addrs {
		n, err := store.Delivered(ctx, a, at)
		if err != nil {
			fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
			code = 1
			continue
		}
		fmt.Fprintf(stdout, "%s: %d soft bounces cleared\n", a, n)
	}
	return code
}

// suppressionsDeliveries reads a send log (ParseDeliveryLine) and reports
// every delivery in it.
func suppressionsDeliveries(ctx context.Context, store *suppress.Store, path string, stdin io.Reader, stdout, stderr io.Writer) int {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
			return 1
		}
		defer f.Close()
		r = f
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	lines, delivered, cleared := 0, 0, 0
	for sc.Scan() {
		lines++
		addr, at, ok := ParseDeliveryLine(sc.Text())
		if !ok {
			continue
		}
		n, err := store.Delivered(ctx, addr, at)
		if errors.Is(err, suppress.ErrInvalid) {
			fmt.Fprintf(stderr, "bounced suppressions: line %d: %v\n", lines, err)
			continue
		}
		if err != nil {
			fmt.Fprintf(stderr, "bounced suppressions: line %d: %v\n", lines, err)
			return 1
		}
		delivered++
		cleared += n
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d lines, %d deliveries, %d soft bounces cleared\n", lines, delivered, cleared)
	return 0
}

// ParseDeliveryLine reads one line of a send log: either bounced's own
// format, "<RFC 3339 time> <address> [anything]", or a Postfix delivery
// agent's log line with "to=<address>" and "status=sent" (postfix
// smtp(8)/lmtp(8) logging), whose time is read when the line starts with
// an RFC 3339 time (rsyslog's high-precision format) and is now
// otherwise. Other lines (deferred, bounced, comments) report nothing.
func ParseDeliveryLine(line string) (addr string, at time.Time, ok bool) {
	f := strings.Fields(line)
	if len(f) == 0 || strings.HasPrefix(f[0], "#") {
		return "", time.Time{}, false
	}
	t, terr := time.Parse(time.RFC3339, f[0])
	if i := strings.Index(line, " to=<"); i >= 0 {
		if !strings.Contains(line, " status=sent ") && !strings.HasSuffix(line, " status=sent") {
			return "", time.Time{}, false
		}
		rest := line[i+5:]
		j := strings.IndexByte(rest, '>')
		if j <= 0 {
			return "", time.Time{}, false
		}
		if terr != nil {
			t = time.Time{}
		}
		return rest[:j], t, true
	}
	if terr != nil || len(f) < 2 || !strings.Contains(f[1], "@") {
		return "", time.Time{}, false
	}
	return strings.Trim(f[1], "<>"), t, true
}
