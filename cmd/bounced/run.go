package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/bounced-dev/bounced/internal/app"
	"github.com/bounced-dev/bounced/internal/config"
)

func newRunCmd(s *streams) *cobra.Command {
	var path string
	var check bool
	c := &cobra.Command{
		Use:   "run [--config FILE] [--check]",
		Short: "run the daemon: watch IMAP mailboxes, suppress in Redis, publish to NATS",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return exitCode(cmdRun(c.Context(), configPath(path), check, s.stdout, s.stderr))
		},
	}
	c.Flags().StringVar(&path, "config", "", "configuration file (YAML; see docs/bounced.example.yaml; default $BOUNCED_CONFIG)")
	c.Flags().BoolVar(&check, "check", false, "validate the configuration and exit")
	return c
}

func cmdRun(ctx context.Context, path string, check bool, stdout, stderr io.Writer) int {
	cfg, err := config.Load(path, os.Environ())
	if err != nil {
		fmt.Fprintf(stderr, "bounced run: %v\n", err)
		return 2
	}
	if check {
		fmt.Fprintln(stdout, "configuration OK:", len(cfg.Mailboxes), "mailbox(es)")
		return 0
	}
	log := newLogger(cfg.Log, stderr)
	if len(cfg.Mailboxes) == 0 {
		log.Warn("no mailbox configured: only the HTTP API runs")
	}
	if err := app.New(cfg, log).Run(ctx); err != nil {
		log.Error("bounced run failed", "error", err)
		return 1
	}
	return 0
}

func newLogger(c config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.Level))
	o := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, o))
	}
	return slog.New(slog.NewTextHandler(w, o))
}
