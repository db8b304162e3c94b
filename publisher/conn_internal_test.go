package publisher

import (
	"log/slog"
	"testing"
)

func TestRedactURLs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "nats://127.0.0.1:4222", "nats://127.0.0.1:4222"},
		{"userPassword", "nats://bob:s3cret@nats.example:4222", "nats://redacted@nats.example:4222"},
		{"token", "tls://t0ken@nats.example:4222", "tls://redacted@nats.example:4222"},
		{"list", "nats://a:1@n1:4222, nats://n2:4222", "nats://redacted@n1:4222,nats://n2:4222"},
		{"unparseable", "nats://a:%zz@n1", "redacted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := redactURLs(tc.in); got != tc.want {
				t.Errorf("redactURLs(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestConnOptions_tls(t *testing.T) {
	tests := []struct {
		name    string
		o       ConnOptions
		wantTLS bool
	}{
		{"plain", ConnOptions{URL: "nats://127.0.0.1:4222"}, false},
		{"tlsScheme", ConnOptions{URL: "tls://127.0.0.1:4222"}, true},
		{"tlsSchemeInList", ConnOptions{URL: "nats://a:4222,TLS://b:4222"}, true},
		{"tlsOption", ConnOptions{URL: "nats://127.0.0.1:4222", TLS: true}, true},
		{"insecureWithoutTLS", ConnOptions{URL: "nats://127.0.0.1:4222", TLSInsecureSkipVerify: true}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, got, err := connOptions(tc.o, slog.New(slog.DiscardHandler))
			if err != nil || got != tc.wantTLS {
				t.Errorf("connOptions() TLS = %v, %v; want %v", got, err, tc.wantTLS)
			}
		})
	}
}
