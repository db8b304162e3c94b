package app

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/httpapi"
	"github.com/bounced-dev/bounced/internal/inbound"
	"github.com/bounced-dev/bounced/internal/pipeline"
	"github.com/bounced-dev/bounced/internal/suppress"
)

// errNotStarted answers a webhook that arrives before the pipeline runs
// (NATS not up yet): transient, the provider retries.
var errNotStarted = errors.New("app: the pipeline is not started yet")

// inboundHandler returns the ESP webhooks of cfg.Inbound, nil when no
// provider is enabled (docs/webhooks-in.md).
func (a *App) inboundHandler() http.Handler {
	in := a.cfg.Inbound
	o := inbound.Options{MaxBody: in.MaxBodyBytes, Log: a.log.With("component", "inbound"), Apply: a.applyExternal}
	if in.SES.Enabled {
		o.SES = &inbound.SESOptions{TopicARNs: in.SES.TopicARNs, CertHost: in.SES.CertHost}
	}
	if in.SendGrid.Enabled {
		o.SendGrid = &inbound.SendGridOptions{PublicKey: in.SendGrid.PublicKey}
	}
	if p := in.Postmark; p.Enabled {
		o.Postmark = &inbound.PostmarkOptions{Username: p.Username, Password: p.Password.Value(), SecretPath: p.SecretPath.Value()}
	}
	if m := in.Mailgun; m.Enabled {
		prefix := a.cfg.Redis.Prefix
		if prefix == "" {
			prefix = suppress.DefaultPrefix
		}
		o.Mailgun = &inbound.MailgunOptions{SigningKey: m.SigningKey.Value(), ReplayWindow: m.ReplayWindow.D(), Redis: a.redis, KeyPrefix: prefix}
	}
	if o.SES == nil && o.SendGrid == nil && o.Postmark == nil && o.Mailgun == nil {
		return nil
	}
	mux := http.NewServeMux()
	if err := inbound.Register(mux, o); err != nil {
		// Validated at start (config.validateInbound); say so loudly if not.
		a.log.Error("inbound webhooks disabled", "error", err)
		return nil
	}
	return mux
}

// applyExternal applies a webhook's recipient through the running pipeline.
func (a *App) applyExternal(ctx context.Context, x pipeline.External) (suppress.Result, error) {
	a.mu.RLock()
	p := a.pipe
	a.mu.RUnlock()
	if p == nil {
		return suppress.Result{}, errNotStarted
	}
	res, err := p.ApplyExternal(ctx, x)
	if err != nil || x.Kind != bounce.KindDelivered {
		return res, err
	}
	// A delivery the provider reports clears the soft bounces counted for
	// the address, as a delivery report on the API does, and the stream
	// keeps it for a rebuild (the same report twice changes nothing more).
	at := x.At
	if at.IsZero() {
		at = time.Now()
	}
	if _, err := a.reportDeliveries(ctx, httpapi.DeliveryReport{Recipient: x.Recipient, At: at.UTC()}); err != nil {
		return res, err
	}
	return res, nil
}
