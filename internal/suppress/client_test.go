package suppress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/testutil"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		want    ClientOptions
		wantErr bool
	}{
		{"plain", "redis://localhost", ClientOptions{Addrs: []string{"localhost:6379"}}, false},
		{"port and db", "redis://10.0.0.1:6380/2", ClientOptions{Addrs: []string{"10.0.0.1:6380"}, DB: 2}, false},
		{"password only", "redis://:s3cret@h:1", ClientOptions{Addrs: []string{"h:1"}, Password: "s3cret"}, false},
		{"acl user", "redis://bounced:pw@h:1/0", ClientOptions{Addrs: []string{"h:1"}, Username: "bounced", Password: "pw"}, false},
		{"tls", "rediss://cache.example:6380?ca_file=/etc/ca.pem&server_name=redis.internal",
			ClientOptions{Addrs: []string{"cache.example:6380"}, TLS: true, TLSCAFile: "/etc/ca.pem", TLSServerName: "redis.internal"}, false},
		{"tls skip verify", "rediss://h?skip_verify=true", ClientOptions{Addrs: []string{"h:6379"}, TLS: true, TLSInsecureSkipVerify: true}, false},
		{"sentinel", "redis://s1:26379,s2:26379?master_name=mymaster&addr=s3:26379",
			ClientOptions{Addrs: []string{"s1:26379", "s2:26379", "s3:26379"}, MasterName: "mymaster"}, false},
		{"cluster", "redis://n1:7000?addr=n2:7000&addr=n3", ClientOptions{Addrs: []string{"n1:7000", "n2:7000", "n3:6379"}}, false},
		{"ipv6", "redis://[::1]:7000", ClientOptions{Addrs: []string{"[::1]:7000"}}, false},
		{"no host", "redis://", ClientOptions{Addrs: []string{"localhost:6379"}}, false},
		{"bad scheme", "http://h", ClientOptions{}, true},
		{"bad db", "redis://h/x", ClientOptions{}, true},
		{"unknown parameter", "redis://h?pool=3", ClientOptions{}, true},
		{"bad bool", "rediss://h?skip_verify=maybe", ClientOptions{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseURL(tc.url)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseURL(%q) error = %v, want error %v", tc.url, err, tc.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("ParseURL(%q) error = %v, want ErrInvalid", tc.url, err)
				}
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseURL(%q) = %+v, want %+v", tc.url, got, tc.want)
			}
		})
	}
}

func TestParseURL_errorHidesPassword(t *testing.T) {
	_, err := ParseURL("redis://user:hunter2@h:bad port/")
	if err == nil {
		t.Fatal("ParseURL() error = nil, want error")
	}
	if s := err.Error(); strings.Contains(s, "hunter2") {
		t.Errorf("ParseURL() error = %q, leaks the password", s)
	}
}

func TestNewClient_invalid(t *testing.T) {
	tests := []struct {
		name string
		o    ClientOptions
	}{
		{"no address", ClientOptions{}},
		{"cluster with db", ClientOptions{Addrs: []string{"a:1", "b:1"}, DB: 3}},
		{"missing ca file", ClientOptions{Addrs: []string{"a:1"}, TLS: true, TLSCAFile: "/nonexistent/ca.pem"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if c, err := NewClient(tc.o); err == nil {
				c.Close()
				t.Errorf("NewClient(%+v) error = nil, want error", tc.o)
			}
		})
	}
}

func TestNewClient_TLS(t *testing.T) {
	srv := testutil.StartRedisTLS(t)
	_, port, _ := net.SplitHostPort(srv.Addr)
	fromURL, err := ParseURL(fmt.Sprintf("rediss://127.0.0.1:%s/0?ca_file=%s", port, url.QueryEscape(srv.CAFile)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		o         ClientOptions
		wantErr   bool
		transient bool
	}{
		{"ca pool", ClientOptions{Addrs: []string{srv.Addr}, TLS: true, RootCAs: srv.CAPool}, false, false},
		{"ca file", ClientOptions{Addrs: []string{srv.Addr}, TLS: true, TLSCAFile: srv.CAFile}, false, false},
		{"url", fromURL, false, false},
		{"server name", ClientOptions{Addrs: []string{srv.Addr}, TLS: true, RootCAs: srv.CAPool, TLSServerName: "localhost"}, false, false},
		{"skip verify", ClientOptions{Addrs: []string{srv.Addr}, TLS: true, TLSInsecureSkipVerify: true}, false, false},
		{"unknown ca", ClientOptions{Addrs: []string{srv.Addr}, TLS: true}, true, false},
		{"wrong name", ClientOptions{Addrs: []string{srv.Addr}, TLS: true, RootCAs: srv.CAPool, TLSServerName: "other.example"}, true, false},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(tc.o)
			if err != nil {
				t.Fatalf("NewClient() error = %v", err)
			}
			defer c.Close()
			s := New(c, fmt.Sprintf("{tls%d}", i), DefaultPolicy(), testLogger(t))
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			err = s.Ping(ctx)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Ping() error = %v, want error %v", err, tc.wantErr)
			}
			if err != nil {
				t.Logf("Ping(): %v", err)
				if IsTransient(err) != tc.transient {
					t.Errorf("IsTransient(%v) = %v, want %v", err, !tc.transient, tc.transient)
				}
				return
			}
			r, err := s.Apply(ctx, hardAt("k", "a@example.com", 0))
			if err != nil || !r.NewlySuppressed {
				t.Errorf("Apply() over TLS = %+v, %v", r, err)
			}
		})
	}
}

func TestNewClient_plainToTLSServer(t *testing.T) {
	srv := testutil.StartRedisTLS(t)
	c, err := NewClient(ClientOptions{Addrs: []string{srv.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	if err := New(c, "", DefaultPolicy(), nil).Ping(ctx); err == nil {
		t.Error("Ping() without TLS to a TLS server succeeded")
	}
}

func TestIsTransient(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"invalid", fmt.Errorf("suppress: x: %w", ErrInvalid), false},
		{"not found", ErrNotFound, false},
		{"canceled", fmt.Errorf("suppress: apply: %w", context.Canceled), false},
		{"deadline", fmt.Errorf("suppress: apply: %w", context.DeadlineExceeded), true},
		{"refused", fmt.Errorf("suppress: apply: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		{"reset", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, true},
		{"eof", fmt.Errorf("suppress: apply: %w", io.EOF), true},
		{"dns", &net.DNSError{Err: "no such host", Name: "redis", IsNotFound: true}, true},
		{"other", errors.New("boom"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsTransient(tc.err); got != tc.want {
				t.Errorf("IsTransient(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
