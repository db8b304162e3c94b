package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"time"

	"github.com/bounced-dev/bounced/internal/webhook"
	"github.com/bounced-dev/bounced/publisher"
)

// webhookDefaults fills the defaults of one webhook endpoint.
func webhookDefaults(w *Webhook) {
	if w.Timeout == 0 {
		w.Timeout = Duration(webhook.DefaultTimeout)
	}
	if w.MaxAttempts == 0 {
		w.MaxAttempts = webhook.DefaultMaxAttempts
	}
	if w.RetryMin == 0 {
		w.RetryMin = Duration(webhook.DefaultRetryMin)
	}
	if w.RetryMax == 0 {
		w.RetryMax = Duration(webhook.DefaultRetryMax)
	}
}

var webhookName = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)

// validateWebhooks checks the webhooks section: unique names usable in a
// consumer name and a subject, an http(s) URL, a Standard Webhooks secret,
// known event types and sane retry settings.
func validateWebhooks(ws []Webhook) []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("config: "+format, a...)) }
	names := map[string]bool{}
	for i, w := range ws {
		at := fmt.Sprintf("webhooks[%d]", i)
		if !webhookName.MatchString(w.Name) {
			bad("%s.name %q: want 1 to 64 of a-z, 0-9, '_' and '-'", at, w.Name)
		} else if names[w.Name] {
			bad("%s.name %q is used twice", at, w.Name)
		}
		names[w.Name] = true
		if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("%s.url %q: want an absolute http:// or https:// URL", at, webhook.RedactURL(w.URL))
		}
		if _, err := webhook.ParseSecret(w.Secret.Value()); err != nil {
			bad("%s.secret: %w", at, err)
		}
		for _, e := range w.Events {
			if !publisher.EventType(e).Known() {
				bad("%s.events: unknown event type %q", at, e)
			}
		}
		if w.Timeout < 0 || w.RetryMin < 0 || w.RetryMax < w.RetryMin {
			bad("%s: timeout and retry_min must be positive and retry_max at least retry_min", at)
		}
		if w.Timeout.D() > 5*time.Minute {
			bad("%s.timeout %v: at most 5m", at, w.Timeout.D())
		}
		if w.MaxAttempts < 1 || w.MaxAttempts > 100 {
			bad("%s.max_attempts %d: want 1 to 100", at, w.MaxAttempts)
		}
	}
	return errs
}

// validateListen checks the embedded server's listener: a host:port, a
// password with a user, not both a user and a token, and authentication
// on any address but loopback.
func (n NATS) validateListen() []error {
	if n.URL != "" {
		return nil // no embedded server
	}
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("config: "+format, a...)) }
	host, port, err := net.SplitHostPort(n.Listen)
	if err != nil || port == "" {
		bad("nats.listen %q: want host:port, e.g. 127.0.0.1:4222", n.Listen)
		return errs
	}
	if (n.ListenUser == "") != (n.ListenPassword == "") {
		bad("nats.listen_user and nats.listen_password go together")
	}
	if n.ListenToken != "" && n.ListenUser != "" {
		bad("nats.listen_token and nats.listen_user: set one or the other")
	}
	ip := net.ParseIP(host)
	loopback := host == "localhost" || (ip != nil && ip.IsLoopback())
	if !loopback && n.ListenUser == "" && n.ListenToken == "" {
		bad("nats.listen %q is not a loopback address: set nats.listen_user and nats.listen_password, or nats.listen_token, so that only your systems read the events", n.Listen)
	}
	return errs
}
