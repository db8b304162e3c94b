package config

import (
	"strings"
	"testing"
	"time"
)

func TestLoad_lease(t *testing.T) {
	mb := "mailboxes:\n  - addr: imap.example.com:993\n    username: u\n    password: x\n"
	tests := []struct {
		name    string
		yaml    string
		env     []string
		want    Lease
		wantErr string
	}{
		{name: "defaults", yaml: mb, want: Lease{Enabled: true, TTL: Duration(6 * time.Second), RetryInterval: Duration(time.Second)}},
		{name: "off", yaml: mb + "lease:\n  enabled: false\n", want: Lease{TTL: Duration(6 * time.Second), RetryInterval: Duration(time.Second)}},
		{name: "env", yaml: mb, env: []string{"BOUNCED_LEASE_TTL=9s", "BOUNCED_LEASE_RENEW_INTERVAL=2s"},
			want: Lease{Enabled: true, TTL: Duration(9 * time.Second), RenewInterval: Duration(2 * time.Second), RetryInterval: Duration(time.Second)}},
		{name: "ttlTooShort", yaml: mb + "lease:\n  ttl: 100ms\n", wantErr: "lease.ttl"},
		{name: "renewTooSlow", yaml: mb + "lease:\n  ttl: 6s\n  renew_interval: 4s\n", wantErr: "lease.renew_interval"},
		{name: "retryZero", yaml: mb + "lease:\n  retry_interval: -1s\n", wantErr: "lease.retry_interval"},
		{name: "unknownKey", yaml: mb + "lease:\n  tll: 6s\n", wantErr: "tll"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(writeFile(t, tc.yaml), tc.env)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Load() error = %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load() error = %v", err)
			}
			if c.Lease != tc.want {
				t.Errorf("Lease = %+v, want %+v", c.Lease, tc.want)
			}
		})
	}
}
