package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/bounced-dev/bounced/internal/app"
	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/suppress"
)

const suppressionsUsage = `usage:
  bounced suppressions [--config FILE] list [--reason R] [--domain D] [--since RFC3339] [--limit N] [--json]
  bounced suppressions [--config FILE] show ADDRESS
  bounced suppressions [--config FILE] lift [--note TEXT] [--actor NAME] ADDRESS
  bounced suppressions [--config FILE] check [--scope SCOPE] ADDRESS
  bounced suppressions [--config FILE] allow add|remove [--note TEXT] [--actor NAME] ADDRESS|DOMAIN
  bounced suppressions [--config FILE] allow list
  bounced suppressions [--config FILE] delivered [--at RFC3339] ADDRESS...
  bounced suppressions [--config FILE] deliveries FILE|-
  bounced suppressions [--config FILE] reapply [--dry-run] [--actor NAME]

lift is audited, and queues a suppression.removed event that the running
daemon publishes to NATS. check answers as SISMEMBER on the scope's set
does (exit status 0 suppressed, 1 not, 2 error). allow add lifts what the
entry covers; allow add and remove are audited. delivered and deliveries
report successful deliveries, which clear the soft bounces counted for the
addresses; deliveries reads a send log (see docs/events.md). A policy
change alters no suppression until reapply lifts those the policy in
effect would not make (a reason switched off, an allowlisted address).
`

// cmdSuppressions reviews, searches and lifts suppressions in the Redis
// store named by the configuration (redis.*), for operators at a shell.
func cmdSuppressions(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("suppressions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", os.Getenv("BOUNCED_CONFIG"), "configuration file (only redis.* is used)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprint(stderr, suppressionsUsage)
		return 2
	}
	cfg, err := config.Load(*path, os.Environ())
	if err != nil {
		fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
		return 2
	}
	store, client, err := app.OpenStore(cfg, nil)
	if err != nil {
		fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
		return 1
	}
	defer client.Close()
	sub, rest := fs.Arg(0), fs.Args()[1:]
	switch sub {
	case "list":
		return suppressionsList(ctx, store, rest, stdout, stderr)
	case "show":
		if len(rest) != 1 {
			fmt.Fprint(stderr, suppressionsUsage)
			return 2
		}
		rec, err := store.Get(ctx, rest[0])
		if errors.Is(err, suppress.ErrNotFound) {
			fmt.Fprintf(stderr, "bounced suppressions: %s is not known\n", rest[0])
			return 1
		}
		if err != nil {
			fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
			return 1
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rec)
		return 0
	case "lift":
		lf := flag.NewFlagSet("lift", flag.ContinueOnError)
		lf.SetOutput(stderr)
		note := lf.String("note", "", "why the suppression is lifted (kept in the audit log)")
		actor := lf.String("actor", os.Getenv("USER"), "who lifts it")
		if err := lf.Parse(rest); err != nil || lf.NArg() != 1 {
			fmt.Fprint(stderr, suppressionsUsage)
			return 2
		}
		ok, err := store.Remove(ctx, lf.Arg(0), "cli:"+*actor, *note)
		if err != nil {
			fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
			return 1
		}
		if !ok {
			fmt.Fprintf(stderr, "bounced suppressions: %s is not suppressed\n", lf.Arg(0))
			return 1
		}
		fmt.Fprintf(stdout, "lifted %s\n", lf.Arg(0))
		return 0
	case "check":
		return suppressionsCheck(ctx, store, rest, stdout, stderr)
	case "allow":
		return suppressionsAllow(ctx, store, rest, stdout, stderr)
	case "delivered":
		return suppressionsDelivered(ctx, store, rest, stdout, stderr)
	case "deliveries":
		return suppressionsDeliveries(ctx, store, rest, stdout, stderr)
	case "reapply":
		rf := flag.NewFlagSet("reapply", flag.ContinueOnError)
		rf.SetOutput(stderr)
		dry := rf.Bool("dry-run", false, "only list what would be lifted")
		actor := rf.String("actor", os.Getenv("USER"), "who reapplies")
		if err := rf.Parse(rest); err != nil || rf.NArg() != 0 {
			fmt.Fprint(stderr, suppressionsUsage)
			return 2
		}
		lifted, err := store.Reapply(ctx, "cli:"+*actor, *dry)
		for _, a := range lifted {
			fmt.Fprintln(stdout, a)
		}
		if err != nil {
			fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
			return 1
		}
		verb := "lifted"
		if *dry {
			verb = "would lift"
		}
		fmt.Fprintf(stdout, "%s %d suppressions\n", verb, len(lifted))
		return 0
	default:
		fmt.Fprintf(stderr, "bounced suppressions: unknown subcommand %q\n%s", sub, suppressionsUsage)
		return 2
	}
}

func suppressionsList(ctx context.Context, store *suppress.Store, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reason := fs.String("reason", "", "only this reason")
	domain := fs.String("domain", "", "only this recipient domain")
	since := fs.String("since", "", "only suppressions since this time (RFC 3339)")
	limit := fs.Int("limit", 100, "at most this many")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	o := suppress.ListOptions{Reason: *reason, Domain: *domain, Limit: *limit}
	if *since != "" {
		t, err := time.Parse(time.RFC3339, *since)
		if err != nil {
			fmt.Fprintf(stderr, "bounced suppressions: --since: %v\n", err)
			return 2
		}
		o.Since = t
	}
	recs, total, err := store.List(ctx, o)
	if err != nil {
		fmt.Fprintf(stderr, "bounced suppressions: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"total": total, "suppressions": recs})
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tREASON\tSCOPE\tHARD\tCOUNT\tSUPPRESSED\tEXPIRES")
	for _, r := range recs {
		exp := "never"
		if !r.ExpiresAt.IsZero() {
			exp = r.ExpiresAt.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%d\t%s\t%s\n", r.Address, r.Reason, r.Scope, r.Hard, r.Count, r.SuppressedAt.Format(time.DateTime), exp)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d of %d suppressed addresses\n", len(recs), total)
	return 0
}
