package config

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// Inbound configures the webhooks email service providers POST bounces,
// complaints and deliveries to, under /webhooks/{provider} of the HTTP
// server (docs/webhooks-in.md). Each provider is off unless enabled.
type Inbound struct {
	// MaxBodyBytes bounds a webhook's body (default 1 MiB).
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// SES is Amazon SES through an SNS HTTPS subscription.
	SES InboundSES `yaml:"ses"`
	// SendGrid is SendGrid's signed Event Webhook.
	SendGrid InboundSendGrid `yaml:"sendgrid"`
	// Postmark is Postmark's bounce, spam-complaint and delivery webhooks.
	Postmark InboundPostmark `yaml:"postmark"`
	// Mailgun is Mailgun's signed webhooks.
	Mailgun InboundMailgun `yaml:"mailgun"`
}

// InboundSES configures /webhooks/ses.
type InboundSES struct {
	// Enabled serves the route.
	Enabled bool `yaml:"enabled"`
	// TopicARNs are the SNS topics accepted (required when enabled).
	TopicARNs []string `yaml:"topic_arns"`
	// CertHost is the host pattern of SigningCertURL and SubscribeURL,
	// "*" standing for one label (default sns.*.amazonaws.com).
	CertHost string `yaml:"cert_host"`
}

// InboundSendGrid configures /webhooks/sendgrid.
type InboundSendGrid struct {
	// Enabled serves the route.
	Enabled bool `yaml:"enabled"`
	// PublicKey is the signed Event Webhook's verification key (base64
	// DER), as SendGrid shows it.
	PublicKey string `yaml:"public_key"`
}

// InboundPostmark configures /webhooks/postmark.
type InboundPostmark struct {
	// Enabled serves the route.
	Enabled bool `yaml:"enabled"`
	// Username and Password are the webhook URL's basic-auth credentials.
	Username string `yaml:"username"`
	Password Secret `yaml:"password"`
	// SecretPath, when set, is the last path segment the webhook URL must
	// carry: /webhooks/postmark/{secret_path}.
	SecretPath Secret `yaml:"secret_path"`
}

// InboundMailgun configures /webhooks/mailgun.
type InboundMailgun struct {
	// Enabled serves the route.
	Enabled bool `yaml:"enabled"`
	// SigningKey is the HTTP webhook signing key.
	SigningKey Secret `yaml:"signing_key"`
	// ReplayWindow is how old a signature may be (default 5m); its token
	// is refused a second time.
	ReplayWindow Duration `yaml:"replay_window"`
}

// validateInbound checks the inbound section of an enabled provider.
func validateInbound(in Inbound) []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("config: "+format, a...)) }
	if in.MaxBodyBytes < 0 {
		bad("inbound.max_body_bytes must not be negative")
	}
	if s := in.SES; s.Enabled {
		if len(s.TopicARNs) == 0 {
			bad("inbound.ses.topic_arns: at least one topic ARN is required")
		}
		for _, a := range s.TopicARNs {
			if !strings.HasPrefix(a, "arn:") {
				bad("inbound.ses.topic_arns: %q is not an ARN", a)
			}
		}
		if strings.ContainsAny(s.CertHost, "/@ ") {
			bad("inbound.ses.cert_host %q: want a host pattern such as sns.*.amazonaws.com", s.CertHost)
		}
	}
	if s := in.SendGrid; s.Enabled {
		der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s.PublicKey))
		var k any
		if err == nil {
			k, err = x509.ParsePKIXPublicKey(der)
		}
		if _, ok := k.(*ecdsa.PublicKey); s.PublicKey == "" || err != nil || !ok {
			bad("inbound.sendgrid.public_key: want the verification key SendGrid shows (base64 DER, ECDSA)")
		}
	}
	if p := in.Postmark; p.Enabled {
		if p.SecretPath == "" && (p.Username == "" || p.Password == "") {
			bad("inbound.postmark: set username and password, or secret_path")
		}
		if p.Password != "" && len(p.Password) < 16 {
			bad("inbound.postmark.password: want at least 16 random characters")
		}
		if p.SecretPath != "" && (len(p.SecretPath) < 16 || strings.ContainsAny(p.SecretPath.Value(), "/?#%")) {
			bad("inbound.postmark.secret_path: want at least 16 random characters, no / ? # %%")
		}
	}
	if m := in.Mailgun; m.Enabled {
		if m.SigningKey == "" {
			bad("inbound.mailgun.signing_key is required")
		}
		if m.ReplayWindow < 0 || (m.ReplayWindow > 0 && m.ReplayWindow.D() < time.Minute) {
			bad("inbound.mailgun.replay_window: want at least 1m (0: the default 5m)")
		}
	}
	return errs
}
