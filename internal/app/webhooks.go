package app

import (
	"context"
	"crypto/tls"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/config"
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
