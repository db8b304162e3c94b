package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/bounced-dev/bounced/internal/app"
	"github.com/bounced-dev/bounced/internal/config"
)

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", os.Getenv("BOUNCED_CONFIG"), "configuration file (YAML; see docs/bounced.example.yaml)")
	check := fs.Bool("check", false, "validate the configuration and exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := config.Load(*path, os.Environ())
	if err != nil {
		fmt.Fprintf(stderr, "bounced run: %v\n", err)
		return 2
	}
	if *check {
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
