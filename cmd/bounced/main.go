// Command bounced decodes bounce messages and runs the bounce-processing
// daemon. See `bounced help`.
//
// The command line is a tree of github.com/spf13/cobra commands (cli.go):
// flags go before or after a subcommand's name and its arguments, every
// command answers --help (or -h) on standard output with exit status 0,
// and an unknown command or flag, or a wrong number of arguments, exits 2
// with a message on standard error. Commands that print records print a
// table on a terminal, and JSON lines otherwise unless --format says
// otherwise (output.go).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// run runs the command line args and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return execute(ctx, args, stdin, stdout, stderr)
}
