package config

import (
	"strings"
	"testing"
	"time"
)

const testWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func TestLoad_webhooks(t *testing.T) {
	p := writeFile(t, `
webhooks:
  - name: crm
    url: https://crm.shop.example/hooks/bounced?token=abc
    secret: env:CRM_SECRET
    events: [bounce, suppression.removed]
    description: CRM sync
  - name: warehouse
    url: http://127.0.0.1:9000/in
    secret: `+testWebhookSecret+`
    max_attempts: 3
    retry_min: 1s
    retry_max: 1m
`)
	c, err := Load(p, []string{"CRM_SECRET=" + testWebhookSecret, "BOUNCED_WEBHOOKS_1_TIMEOUT=3s"})
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	crm, wh := c.Webhooks[0], c.Webhooks[1]
	if crm.Secret.Value() != testWebhookSecret || crm.Secret.String() == testWebhookSecret {
		t.Errorf("crm secret = %q (printed %q), want it resolved from env and hidden", crm.Secret.Value(), crm.Secret)
	}
	if crm.Timeout.D() != 15*time.Second || crm.MaxAttempts != 10 || crm.RetryMin.D() != 5*time.Second || crm.RetryMax.D() != 24*time.Hour {
		t.Errorf("crm defaults = %+v", crm)
	}
	if len(crm.Events) != 2 || crm.Description != "CRM sync" {
		t.Errorf("crm = %+v", crm)
	}
	if wh.Timeout.D() != 3*time.Second || wh.MaxAttempts != 3 || wh.RetryMax.D() != time.Minute {
		t.Errorf("warehouse = %+v, want the environment's timeout and the file's retries", wh)
	}
}

func TestLoad_natsListen(t *testing.T) {
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.NATS.Listen != "127.0.0.1:4222" {
		t.Errorf("default nats.listen = %q, want 127.0.0.1:4222", c.NATS.Listen)
	}
	c, err = Load(writeFile(t, "nats:\n  listen: 0.0.0.0:4333\n  listen_user: shop\n  listen_password: env:P\n"), []string{"P=pw"})
	if err != nil {
		t.Fatalf("Load(listen with auth) = %v", err)
	}
	if c.NATS.ListenPassword.Value() != "pw" || c.NATS.ListenUser != "shop" {
		t.Errorf("listen auth = %q %q", c.NATS.ListenUser, c.NATS.ListenPassword.Value())
	}
	// An external server makes the listen settings moot.
	if _, err := Load(writeFile(t, "nats:\n  url: nats://nats:4222\n  listen: 0.0.0.0:4222\n"), nil); err != nil {
		t.Errorf("Load(url and public listen) = %v, want no error", err)
	}
}

func TestValidate_webhooksAndListen(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"noName", "webhooks:\n  - url: https://x.example/\n    secret: " + testWebhookSecret + "\n", "webhooks[0].name"},
		{"badName", "webhooks:\n  - name: CRM.1\n    url: https://x.example/\n    secret: " + testWebhookSecret + "\n", "webhooks[0].name"},
		{"twice", "webhooks:\n  - name: a\n    url: https://x.example/\n    secret: " + testWebhookSecret + "\n  - name: a\n    url: https://y.example/\n    secret: " + testWebhookSecret + "\n", "used twice"},
		{"badURL", "webhooks:\n  - name: a\n    url: ftp://x.example/?token=zz\n    secret: " + testWebhookSecret + "\n", "webhooks[0].url"},
		{"noSecret", "webhooks:\n  - name: a\n    url: https://x.example/\n", "webhooks[0].secret"},
		{"rawSecret", "webhooks:\n  - name: a\n    url: https://x.example/\n    secret: MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", "whsec_"},
		{"unknownEvent", "webhooks:\n  - name: a\n    url: https://x.example/\n    secret: " + testWebhookSecret + "\n    events: [bounces]\n", `unknown event type "bounces"`},
		{"attempts", "webhooks:\n  - name: a\n    url: https://x.example/\n    secret: " + testWebhookSecret + "\n    max_attempts: 1000\n", "max_attempts"},
		{"listenNotHostPort", "nats:\n  listen: localhost\n", "nats.listen"},
		{"publicWithoutAuth", "nats:\n  listen: 0.0.0.0:4222\n", "not a loopback address"},
		{"allInterfacesWithoutAuth", "nats:\n  listen: :4222\n", "not a loopback address"},
		{"userWithoutPassword", "nats:\n  listen_user: shop\n", "go together"},
		{"userAndToken", "nats:\n  listen_user: shop\n  listen_password: p\n  listen_token: t\n", "one or the other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tc.yaml), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load() = %v, want an error containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") || strings.Contains(err.Error(), "token=zz") {
				t.Errorf("Load() = %v: shows a secret", err)
			}
		})
	}
}
