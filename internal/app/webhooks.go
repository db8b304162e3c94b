package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	bmetrics "github.com/bounced-dev/bounced/internal/metrics"
	"log/slog"
	"net"
	"strconv"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/httpapi"
	"github.com/bounced-dev/bounced/internal/natsembed"
	"github.com/bounced-dev/bounced/internal/webhook"
	"github.com/bounced-dev/bounced/publisher"
)

// WebhookEndpoints returns the endpoints of the webhooks section, with
// their secrets decoded and their CA files read.
func WebhookEndpoints(cfg *config.Config) ([]webhook.Endpoint, error) {
	var eps []webhook.Endpoint
	for _, w := range cfg.Webhooks {
		key, err := webhook.ParseSecret(w.Secret.Value())
		if err != nil {
			return nil, fmt.Errorf("app: webhook %s: %w", w.Name, err)
		}
		ep := webhook.Endpoint{
			Name: w.Name, URL: w.URL, Keys: [][]byte{key}, Description: w.Description,
			Timeout: w.Timeout.D(), MaxAttempts: w.MaxAttempts, RetryMin: w.RetryMin.D(), RetryMax: w.RetryMax.D(),
		}
		for _, e := range w.Events {
			ep.Events = append(ep.Events, publisher.EventType(e))
		}
		if w.TLSCAFile != "" {
			pool, err := loadCAs(w.TLSCAFile)
			if err != nil {
				return nil, fmt.Errorf("app: webhook %s: tls_ca_file: %w", w.Name, err)
			}
			ep.TLS = &tls.Config{RootCAs: pool}
		}
		eps = append(eps, ep)
	}
	return eps, nil
}

// WebhookOptions returns the webhook options of cfg's stream.
func WebhookOptions(cfg *config.Config) webhook.Options {
	return webhook.Options{Stream: cfg.NATS.Stream, SubjectPrefix: cfg.NATS.SubjectPrefix}
}

// makeWebhooks makes the webhook deliverers of the configuration, if any.
func (a *App) makeWebhooks(js jetstream.JetStream) error {
	if len(a.cfg.Webhooks) == 0 {
		return nil
	}
	eps, err := WebhookEndpoints(a.cfg)
	if err != nil {
		return err
	}
	o := WebhookOptions(a.cfg)
	o.Log = a.log
	svc, err := webhook.New(js, eps, o)
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.mu.Lock()
	a.webhooks = svc
	a.mu.Unlock()
	a.Metrics().SetWebhooks(func() []bmetrics.Webhook {
		var out []bmetrics.Webhook
		for _, m := range svc.Metrics() {
			out = append(out, bmetrics.Webhook{Endpoint: m.Endpoint, Delivered: m.Delivered, Failed: m.Failed, DeadLettered: m.DeadLettered})
		}
		return out
	})
	return nil
}

// startWebhooks runs the webhook deliverers within wg until ctx ends.
func (a *App) startWebhooks(ctx context.Context, wg *sync.WaitGroup) {
	svc := a.Webhooks()
	if svc == nil {
		return
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer a.recoverPanic("webhooks")
		svc.Run(ctx)
	}()
}

// Webhooks returns the webhook deliverers, for their Status and Metrics;
// nil when no webhook is configured or before Ready.
func (a *App) Webhooks() *webhook.Service {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.webhooks
}

// recentDeadLetters is how many dead letters per endpoint GET
// /api/v1/webhooks lists.
const recentDeadLetters = 20

// webhookStatus reports the webhook endpoints for GET /api/v1/webhooks:
// their status and the dead letters the stream holds for each. Before the
// deliverers exist it reports the configured endpoints as starting.
func (a *App) webhookStatus(ctx context.Context) []httpapi.WebhookStatus {
	svc := a.Webhooks()
	if svc == nil {
		var out []httpapi.WebhookStatus
		o := WebhookOptions(a.cfg)
		for _, w := range a.cfg.Webhooks {
			out = append(out, httpapi.WebhookStatus{Status: webhook.Status{
				Metrics: webhook.Metrics{Endpoint: w.Name}, URL: webhook.RedactURL(w.URL), Description: w.Description,
				Consumer: webhook.ConsumerName(w.Name), DeadLetterSubject: webhook.DeadLetterSubject(o.SubjectPrefix, w.Name),
				State: "starting", Pending: -1,
			}, DeadLettersStored: -1})
		}
		return out
	}
	var out []httpapi.WebhookStatus
	for _, st := range svc.Status(ctx) {
		ws := httpapi.WebhookStatus{Status: st, DeadLettersStored: -1}
		dl, err := svc.DeadLetters(ctx, st.Endpoint, recentDeadLetters)
		if err != nil {
			a.log.Warn("webhook dead letters not read", "endpoint", st.Endpoint, "error", err)
			ws.DeadLettersError = "dead letters not read: NATS did not answer"
		} else {
			ws.DeadLettersStored, ws.RecentDeadLetters = int64(dl.Stored), dl.Recent
		}
		out = append(out, ws)
	}
	return out
}

// DialNATS connects a command-line client to the NATS server the daemon
// uses: nats.url, or the embedded server of a running daemon at
// nats.listen with its listen credentials. It gives up when ctx ends.
func DialNATS(ctx context.Context, cfg *config.Config, log *slog.Logger) (*nats.Conn, error) {
	n := cfg.NATS
	o := publisher.ConnOptions{
		URL: n.URL, Name: "bounced-cli", Token: n.Token.Value(), User: n.User, Password: n.Password.Value(),
		CredsFile: n.CredsFile, NKeyFile: n.NKeyFile, TLS: n.TLS, TLSCAFile: n.TLSCAFile,
		TLSCertFile: n.TLSCertFile, TLSKeyFile: n.TLSKeyFile, TLSInsecureSkipVerify: n.TLSInsecureSkipVerify,
	}
	if n.URL == "" {
		host, port, err := natsembed.SplitListen(n.Listen)
		if err != nil {
			return nil, fmt.Errorf("app: nats.listen: %w", err)
		}
		if port < 0 {
			return nil, errors.New("app: nats.listen has port 0: the running daemon's port is not known; set a port")
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			host = "127.0.0.1"
		}
		o = publisher.ConnOptions{URL: "nats://" + net.JoinHostPort(host, strconv.Itoa(port)), Name: "bounced-cli",
			User: n.ListenUser, Password: n.ListenPassword.Value(), Token: n.ListenToken.Value()}
	}
	nc, err := publisher.Connect(ctx, o, log)
	if err != nil && n.URL == "" {
		return nil, fmt.Errorf("%w (is `bounced run` running? its embedded NATS server is only up while it runs)", err)
	}
	return nc, err
}
