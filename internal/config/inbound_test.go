package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func TestLoad_inbound(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	p := writeFile(t, `
inbound:
  max_body_bytes: 65536
  ses:
    enabled: true
    topic_arns: [arn:aws:sns:us-west-2:123456789012:ses-bounces]
  sendgrid:
    enabled: true
    public_key: `+base64.StdEncoding.EncodeToString(der)+`
  postmark:
    enabled: true
    username: postmark
    password: env:PM_PASS
    secret_path: file:`+writeFile(t, "0123456789abcdef0123\n")+`
  mailgun:
    enabled: true
    signing_key: env:MG_KEY
`)
	c, err := Load(p, []string{"PM_PASS=0123456789abcdefXYZ", "MG_KEY=key-0123456789", "BOUNCED_INBOUND_MAILGUN_REPLAY_WINDOW=10m"})
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	in := c.Inbound
	if in.MaxBodyBytes != 65536 || !in.SES.Enabled || len(in.SES.TopicARNs) != 1 || in.SendGrid.PublicKey == "" {
		t.Errorf("inbound = %+v", in)
	}
	if in.Postmark.Password.Value() != "0123456789abcdefXYZ" || in.Postmark.SecretPath.Value() != "0123456789abcdef0123" {
		t.Errorf("postmark secrets not resolved: %q %q", in.Postmark.Password.Value(), in.Postmark.SecretPath.Value())
	}
	if in.Mailgun.SigningKey.Value() != "key-0123456789" || in.Mailgun.ReplayWindow.D() != 10*time.Minute {
		t.Errorf("mailgun = %q %v", in.Mailgun.SigningKey.Value(), in.Mailgun.ReplayWindow.D())
	}
}

func TestLoad_inboundInvalid(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"ses without topics", "inbound:\n  ses:\n    enabled: true\n", "inbound.ses.topic_arns"},
		{"sendgrid without key", "inbound:\n  sendgrid:\n    enabled: true\n", "inbound.sendgrid.public_key"},
		{"sendgrid bad key", "inbound:\n  sendgrid:\n    enabled: true\n    public_key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n", "inbound.sendgrid.public_key"},
		{"postmark without credentials", "inbound:\n  postmark:\n    enabled: true\n", "inbound.postmark"},
		{"postmark short secret path", "inbound:\n  postmark:\n    enabled: true\n    secret_path: short\n", "inbound.postmark.secret_path"},
		{"mailgun without key", "inbound:\n  mailgun:\n    enabled: true\n", "inbound.mailgun.signing_key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, tc.yaml), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load() = %v, want an error naming %s", err, tc.want)
			}
		})
	}
	// Disabled providers need nothing.
	if _, err := Load(writeFile(t, "inbound:\n  ses:\n    enabled: false\n"), nil); err != nil {
		t.Errorf("Load(disabled) = %v", err)
	}
}
