package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/parsecmd"
)

// exitCode ends a command with this exit status, its message (if any)
// already printed.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// streams are a command line's standard input, output and error.
type streams struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// usageTemplate is cobra's, with the headings in the lower case of the
// rest of bounced's messages.
const usageTemplate = `usage:{{if and .Runnable (not .HasAvailableSubCommands)}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} COMMAND ...{{end}}{{if .HasExample}}

examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

flags:
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

inherited flags:
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

"{{.CommandPath}} COMMAND --help" says more about a command.{{end}}
`

// execute runs args through the command tree and returns the exit status:
// a command's own, 2 for a command line cobra refuses (unknown command or
// flag, wrong number of arguments), 0 for --help.
func execute(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s := &streams{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRoot(s)
	root.SetArgs(legacyFlags(root, args))
	cmd, err := root.ExecuteContextC(ctx)
	var code exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code):
		return int(code)
	}
	if cmd == nil {
		cmd = root
	}
	fmt.Fprintf(stderr, "%s: %v\n\"%s --help\" says how to use it.\n", cmd.CommandPath(), err, cmd.CommandPath())
	return 2
}

// newRoot returns the command tree of bounced.
func newRoot(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "bounced",
		Short: "bounce and DSN processing",
		Long: `bounced: bounce and DSN processing

Decodes bounces (DSNs, MTA and provider formats, feedback reports), keeps
the suppression list in Redis, publishes events to NATS; the daemon
watches IMAP mailboxes. Every command answers --help.`,
		Version:       versionString(),
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			printUsage(s.stderr, c)
			return exitCode(2)
		},
	}
	root.SetIn(s.stdin)
	root.SetOut(s.stdout)
	root.SetErr(s.stderr)
	root.SetUsageTemplate(usageTemplate)
	root.SetVersionTemplate(versionText())
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return err })
	root.CompletionOptions.HiddenDefaultCmd = true
	root.AddCommand(
		newParseCmd(s),
		newRunCmd(s),
		newSuppressionsCmd(s),
		newStatsCmd(s),
		newVERPCmd(s),
		newCheckCmd(s),
		newRebuildCmd(s),
		newWebhooksCmd(s),
		newVersionCmd(s),
	)
	return root
}

// group returns a command that only holds subcommands: run alone or with
// an unknown subcommand, it prints its usage and exits 2.
func group(s *streams, use, short, long string) *cobra.Command {
	return &cobra.Command{
		Use: use, Short: short, Long: long,
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				fmt.Fprintf(s.stderr, "%s: unknown subcommand %q\n\n", c.CommandPath(), args[0])
			}
			printUsage(s.stderr, c)
			return exitCode(2)
		},
	}
}

// printUsage prints c's usage to w, ending with a line break.
func printUsage(w io.Writer, c *cobra.Command) {
	u := c.UsageString()
	if !strings.HasSuffix(u, "\n") {
		u += "\n"
	}
	fmt.Fprint(w, u)
}

// legacyName is a flag written the Go flag package's way, with one dash.
var legacyName = regexp.MustCompile(`^-([a-z][a-z0-9-]+)(=.*)?$`)

// legacyFlags rewrites -name and -name=value, as the flag package that
// bounced used before accepted them, to --name for every long flag name
// of the tree, so that scripts written for it go on working. Arguments
// after "--" and those that name no flag are left as they are.
func legacyFlags(root *cobra.Command, args []string) []string {
	names := map[string]bool{"help": true, "version": true}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, fs := range []*pflag.FlagSet{c.LocalFlags(), c.PersistentFlags()} {
			fs.VisitAll(func(f *pflag.Flag) { names[f.Name] = true })
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	out := make([]string, len(args))
	for i, a := range args {
		if a == "--" {
			copy(out[i:], args[i:])
			break
		}
		if m := legacyName.FindStringSubmatch(a); m != nil && names[m[1]] {
			a = "-" + a
		}
		out[i] = a
	}
	return out
}

// configPath is --config, else $BOUNCED_CONFIG.
func configPath(path string) string {
	if path != "" {
		return path
	}
	return os.Getenv("BOUNCED_CONFIG")
}

func newParseCmd(s *streams) *cobra.Command {
	var (
		o        parsecmd.Options
		verp     []string
		progress bool
	)
	c := &cobra.Command{
		Use:   "parse [flags] PATH...",
		Short: "decode message files, Maildirs, mbox files or - (stdin)",
		Long: `Decodes message files, directories (Maildir), mbox files or - (standard
input) and prints one record per failed recipient (CONTRACT.md): a table
on a terminal, JSON lines otherwise.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, paths []string) error {
			o.Decode.VERP = verp
			o.Stdin, o.Stdout, o.Stderr = s.stdin, s.stdout, s.stderr
			if progress {
				o.Progress = &progress
			}
			return exitCode(parsecmd.Run(c.Context(), paths, o))
		},
	}
	f := c.Flags()
	f.StringVar(&o.Format, "format", "", "output format: jsonl, json or table (default: table on a terminal, jsonl otherwise)")
	f.StringArrayVar(&verp, "verp", nil, "VERP return-path pattern, e.g. bounces+{local}={domain}@shop.example (repeatable)")
	f.Int64Var(&o.Decode.MaxSize, "max-size", bounce.DefaultMaxSize, "largest message decoded, in bytes")
	f.IntVar(&o.Decode.MaxDepth, "max-depth", bounce.DefaultMaxDepth, "deepest MIME nesting followed")
	f.IntVar(&o.Workers, "workers", 0, "messages decoded in parallel (default: number of CPUs)")
	f.BoolVar(&progress, "progress", false, "always draw a progress bar on stderr")
	f.StringVar(&o.RulesFile, "rules", "", "an operator's classifier rules file added to the built-in rules (see classify/doc.go)")
	return c
}
