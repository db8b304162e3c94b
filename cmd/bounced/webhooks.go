package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/bounced-dev/bounced/internal/app"
	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/webhook"
)

const webhooksLong = `Lists the webhook endpoints, delivers their events again, makes secrets:
  bounced webhooks [--config FILE] list [--json]
      the configured endpoints and what their consumers have to deliver
  bounced webhooks [--config FILE] replay --endpoint NAME --since TIME
      deliver again to NAME every event stored since TIME (RFC 3339, e.g.
      2025-03-14T09:00:00Z, or a duration ago, e.g. 24h)
  bounced webhooks secret
      print a new signing secret (whsec_...) for a webhooks[].secret

list and replay reach NATS as the daemon does: nats.url, or the embedded
server of the running daemon at nats.listen. docs/webhooks.md says more.
`

func newWebhooksCmd(s *streams) *cobra.Command {
	var path, endpoint, since string
	var asJSON bool
	c := group(s, "webhooks", "list webhook endpoints, deliver events again since a time, make a secret", webhooksLong)
	c.PersistentFlags().StringVar(&path, "config", "", "configuration file; nats.* and webhooks are used (default $BOUNCED_CONFIG)")
	list := &cobra.Command{
		Use:   "list [--json]",
		Short: "the configured endpoints and what their consumers have to deliver",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return exitCode(cmdWebhooks(c.Context(), "list", configPath(path), "", "", asJSON, s.stdout, s.stderr))
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	replay := &cobra.Command{
		Use:   "replay --endpoint NAME --since TIME",
		Short: "deliver again to an endpoint every event stored since a time",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return exitCode(cmdWebhooks(c.Context(), "replay", configPath(path), endpoint, since, false, s.stdout, s.stderr))
		},
	}
	replay.Flags().StringVar(&endpoint, "endpoint", "", "the endpoint's name")
	replay.Flags().StringVar(&since, "since", "", "replay events stored since this time: RFC 3339, or a duration ago (24h)")
	secret := &cobra.Command{
		Use:   "secret",
		Short: "print a new signing secret (whsec_...) for a webhooks[].secret",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			sec, err := webhook.NewSecret()
			if err != nil {
				fmt.Fprintf(s.stderr, "bounced webhooks: %v\n", err)
				return exitCode(1)
			}
			fmt.Fprintln(s.stdout, sec)
			return nil
		},
	}
	c.AddCommand(list, replay, secret)
	return c
}

// cmdWebhooks lists the webhook endpoints (sub "list") or replays their
// events ("replay").
func cmdWebhooks(ctx context.Context, sub, path, endpoint, since string, asJSON bool, stdout, stderr io.Writer) int {
	cfg, err := config.Load(path, os.Environ())
	if err != nil {
		fmt.Fprintf(stderr, "bounced webhooks: %v\n", err)
		return 2
	}
	eps, err := app.WebhookEndpoints(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "bounced webhooks: %v\n", err)
		return 2
	}
	var ep *webhook.Endpoint
	var from time.Time
	if sub == "replay" {
		for i := range eps {
			if eps[i].Name == endpoint {
				ep = &eps[i]
			}
		}
		if ep == nil {
			fmt.Fprintf(stderr, "bounced webhooks: replay: --endpoint %q is not in the configuration's webhooks\n", endpoint)
			return 2
		}
		if from, err = parseSince(since, time.Now()); err != nil {
			fmt.Fprintf(stderr, "bounced webhooks: replay: %v\n", err)
			return 2
		}
	}
	dial, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	nc, err := app.DialNATS(dial, cfg, nil)
	if err != nil {
		fmt.Fprintf(stderr, "bounced webhooks: %v\n", err)
		return 1
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		fmt.Fprintf(stderr, "bounced webhooks: %v\n", err)
		return 1
	}
	opts := app.WebhookOptions(cfg)
	op, cancelOp := context.WithTimeout(ctx, 30*time.Second)
	defer cancelOp()
	if sub == "replay" {
		n, err := webhook.Replay(op, js, opts, *ep, from)
		if err != nil {
			fmt.Fprintf(stderr, "bounced webhooks: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s: %d event(s) since %s to deliver again\n", ep.Name, n, from.UTC().Format(time.RFC3339))
		return 0
	}
	return webhooksList(op, js, opts, eps, asJSON, stdout, stderr)
}

// listed is one row of `bounced webhooks list`.
type listed struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	Events      string `json:"events"`
	Consumer    string `json:"consumer"`
	Exists      bool   `json:"exists"`
	Pending     uint64 `json:"pending"`
	Retrying    int    `json:"retrying"`
	DeadLetters string `json:"dead_letter_subject"`
	// DeadLettered is how many dead letters the stream holds for the
	// endpoint: events to replay (`bounced webhooks replay`).
	DeadLettered uint64 `json:"dead_lettered"`
}

func webhooksList(ctx context.Context, js jetstream.JetStream, o webhook.Options, eps []webhook.Endpoint, asJSON bool, stdout, stderr io.Writer) int {
	var rows []listed
	for _, e := range eps {
		r := listed{Name: e.Name, URL: webhook.RedactURL(e.URL), Events: "all", Consumer: webhook.ConsumerName(e.Name),
			DeadLetters: webhook.DeadLetterSubject(o.SubjectPrefix, e.Name)}
		if len(e.Events) > 0 {
			var ts []string
			for _, t := range e.Events {
				ts = append(ts, string(t))
			}
			r.Events = strings.Join(ts, ",")
		}
		c, err := js.Consumer(ctx, o.Stream, r.Consumer)
		switch {
		case err == nil:
			info, err := c.Info(ctx)
			if err == nil {
				r.Exists, r.Pending, r.Retrying = true, info.NumPending+uint64(info.NumAckPending), info.NumRedelivered
			}
		case !errors.Is(err, jetstream.ErrConsumerNotFound):
			fmt.Fprintf(stderr, "bounced webhooks: %s: %v\n", e.Name, err)
			return 1
		}
		dl, err := webhook.ReadDeadLetters(ctx, js, o, e.Name, 0)
		if err != nil {
			fmt.Fprintf(stderr, "bounced webhooks: %s: %v\n", e.Name, err)
			return 1
		}
		r.DeadLettered = dl.Stored
		rows = append(rows, r)
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rows)
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tURL\tEVENTS\tCONSUMER\tPENDING\tRETRYING\tDEAD LETTERED\tDEAD LETTER SUBJECT")
	for _, r := range rows {
		pending := fmt.Sprint(r.Pending)
		if !r.Exists {
			pending = "(no consumer yet)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", r.Name, r.URL, r.Events, r.Consumer, pending, r.Retrying, r.DeadLettered, r.DeadLetters)
	}
	tw.Flush()
	return 0
}

// parseSince reads --since: an RFC 3339 time, or a duration before now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("--since is required (RFC 3339, e.g. 2025-03-14T09:00:00Z, or a duration ago, e.g. 24h)")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want RFC 3339 (2025-03-14T09:00:00Z) or a duration ago (24h)", s)
}
