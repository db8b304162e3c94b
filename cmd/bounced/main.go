// Command bounced decodes bounce messages and runs the bounce-processing
// daemon. See `bounced help`.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/parsecmd"
)

const usage = `bounced: bounce and DSN processing

usage:
  bounced parse [--format jsonl|json|table] [--verp PATTERN] [--rules FILE] PATH...
      decode message files, directories (Maildir), mbox files or - (stdin)
      and print one record per failed recipient
  bounced run [--config FILE]
      run the daemon: watch IMAP mailboxes, suppress in Redis, publish to NATS
  bounced suppressions [--config FILE] list|show|lift|check|allow|delivered|deliveries|reapply ...
      review, search, check and lift suppressions; the allowlist; deliveries
  bounced verp sign|verify ...
      make and check signed VERP return paths (docs/verp.md)
  bounced check [--format table|json] [--dns] [--resolver HOST:PORT] ADDRESS...
      find what keeps mail from arriving at addresses, and how to fix it
  bounced rebuild [--config FILE] [--accept-empty]
      recreate the suppression list in Redis from the JetStream stream
  bounced webhooks [--config FILE] list|replay|secret ...
      list webhook endpoints, deliver events again since a time, make a secret
  bounced version
      print the version
  bounced help
      print this help
`

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "parse":
		return cmdParse(ctx, args[1:], stdin, stdout, stderr)
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "suppressions":
		return cmdSuppressions(ctx, args[1:], stdout, stderr)
	case "verp":
		return cmdVERP(args[1:], stdout, stderr)
	case "check":
		return cmdCheck(ctx, args[1:], stdin, stdout, stderr)
	case "rebuild":
		return cmdRebuild(ctx, args[1:], stdout, stderr)
	case "webhooks":
		return cmdWebhooks(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "bounced", version())
		return 0
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "bounced: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}

func cmdParse(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "", "output format: jsonl, json or table (default: table on a terminal, jsonl otherwise)")
	var verp multiFlag
	fs.Var(&verp, "verp", "VERP return-path pattern, e.g. bounces+{local}={domain}@shop.example (repeatable)")
	maxSize := fs.Int64("max-size", bounce.DefaultMaxSize, "largest message decoded, in bytes")
	maxDepth := fs.Int("max-depth", bounce.DefaultMaxDepth, "deepest MIME nesting followed")
	workers := fs.Int("workers", 0, "messages decoded in parallel (default: number of CPUs)")
	progress := fs.Bool("progress", false, "always draw a progress bar on stderr")
	rules := fs.String("rules", "", "an operator's classifier rules file added to the built-in rules (see classify/doc.go)")
	// Flags may come after paths too: parse, take one path, parse the rest.
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		paths = append(paths, fs.Arg(0))
		args = fs.Args()[1:]
	}
	o := parsecmd.Options{
		Format:  *format,
		Decode:  bounce.Options{MaxSize: *maxSize, MaxDepth: *maxDepth, VERP: verp},
		Workers: *workers,
		Stdin:   stdin,
		Stdout:  stdout,
		Stderr:  stderr,
	}
	if *progress {
		o.Progress = progress
	}
	o.RulesFile = *rules
	return parsecmd.Run(ctx, paths, o)
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// version is the module version, or the VCS revision of a development build.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel-" + rev
}
