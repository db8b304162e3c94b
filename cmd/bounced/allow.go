package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/bounced-dev/bounced/internal/suppress"
)

// suppressionsCheck answers whether ADDRESS is suppressed for a scope,
// as the store's IsSuppressed (one SISMEMBER) does: exit status 0 when
// suppressed, 1 when not, 2 on an error.
func suppressionsCheck(ctx context.Context, store *suppress.Store, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scope := fs.String("scope", suppress.ScopeAll, "scope: all, transactional, marketing or a stream of policy.streams")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprint(stderr, suppressionsUsage)
		return 2
	}
	addr := fs.Arg(0)
	sup, err := store.IsSuppressed(ctx, addr, *scope)
	if err != nil {
		fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
		return 2
	}
	norm, _ := suppress.NormalizeAddress(addr)
	if *asJSON {
		json.NewEncoder(stdout).Encode(map[string]any{"address": norm, "scope": *scope, "suppressed": sup})
	} else if sup {
		fmt.Fprintf(stdout, "%s is suppressed for %s mail\n", norm, *scope)
	} else {
		fmt.Fprintf(stdout, "%s is not suppressed for %s mail\n", norm, *scope)
	}
	if sup {
		return 0
	}
	return 1
}

// suppressionsAllow manages the allowlist.
func suppressionsAllow(ctx context.Context, store *suppress.Store, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, suppressionsUsage)
		return 2
	}
	op, rest := args[0], args[1:]
	if op == "list" {
		list, err := store.AllowList(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
			return 1
		}
		for _, e := range list {
			fmt.Fprintf(stdout, "%s\t%s\n", e.Entry, e.Source)
		}
		return 0
	}
	fs := flag.NewFlagSet("allow", flag.ContinueOnError)
	fs.SetOutput(stderr)
	note := fs.String("note", "", "why (kept in the audit log)")
	actor := fs.String("actor", os.Getenv("USER"), "who changes it")
	if err := fs.Parse(rest); err != nil || fs.NArg() != 1 {
		fmt.Fprint(stderr, suppressionsUsage)
		return 2
	}
	var changed bool
	var err error
	switch op {
	case "add":
		changed, err = store.Allow(ctx, fs.Arg(0), "cli:"+*actor, *note)
	case "remove":
		changed, err = store.Disallow(ctx, fs.Arg(0), "cli:"+*actor, *note)
	default:
		fmt.Fprintf(stderr, "bounced suppressions: allow %q: want add, remove or list\n", op)
		return 2
	}
	if errors.Is(err, suppress.ErrInvalid) {
		fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
		return 1
	}
	entry, _ := suppress.NormalizeAllowEntry(fs.Arg(0))
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
func suppressionsDelivered(ctx context.Context, store *suppress.Store, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("delivered", flag.ContinueOnError)
	fs.SetOutput(stderr)
	atFlag := fs.String("at", "", "when they were delivered (RFC 3339; default now)")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		fmt.Fprint(stderr, suppressionsUsage)
		return 2
	}
	var at time.Time
	if *atFlag != "" {
		var err error
		if at, err = time.Parse(time.RFC3339, *atFlag); err != nil {
			fmt.Fprintf(stderr, "bounced suppressions: --at: %v\n", err)
			return 2
		}
	}
	code := 0
	for _, a := range fs.Args() {
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
func suppressionsDeliveries(ctx context.Context, store *suppress.Store, args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, suppressionsUsage)
		return 2
	}
	var r io.Reader = os.Stdin
	if args[0] != "-" {
		f, err := os.Open(args[0])
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
