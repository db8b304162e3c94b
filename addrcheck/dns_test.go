package addrcheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// testZone answers for a small zone on loopback, over UDP and TCP.
type testZone struct {
	addr    string
	queries atomic.Int64
}

func (z *testZone) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	z.queries.Add(1)
	m := new(dns.Msg)
	m.SetReply(req)
	q := req.Question[0]
	rr := func(s string) dns.RR {
		r, err := dns.NewRR(s)
		if err != nil {
			panic(err)
		}
		return r
	}
	switch q.Name {
	case "mx.example.":
		if q.Qtype == dns.TypeMX {
			m.Answer = append(m.Answer, rr("mx.example. 300 IN MX 10 mx1.mx.example."), rr("mx.example. 300 IN MX 5 mx0.mx.example."))
		}
	case "nullmx.example.":
		if q.Qtype == dns.TypeMX {
			m.Answer = append(m.Answer, rr("nullmx.example. 300 IN MX 0 ."))
		}
	case "amx.example.":
		switch q.Qtype {
		case dns.TypeA:
			m.Answer = append(m.Answer, rr("amx.example. 300 IN A 192.0.2.10"))
		case dns.TypeAAAA:
			m.Answer = append(m.Answer, rr("amx.example. 300 IN AAAA 2001:db8::10"))
		}
	case "v6only.example.":
		if q.Qtype == dns.TypeAAAA {
			m.Answer = append(m.Answer, rr("v6only.example. 300 IN AAAA 2001:db8::6"))
		}
	case "nothing.example.":
		// Exists (it has a TXT record) but has no MX, A or AAAA: NOERROR, no answer.
	case "big.example.":
		// More MX records than fit a 1232-byte UDP answer: truncated, asked again over TCP.
		if q.Qtype == dns.TypeMX {
			for i := range 60 {
				m.Answer = append(m.Answer, rr(fmt.Sprintf("big.example. 300 IN MX %d mail-exchanger-number-%02d.a-rather-long-name.big.example.", i, i)))
			}
			if _, udp := w.RemoteAddr().(*net.UDPAddr); udp && m.Len() > 1232 {
				m.Answer = nil
				m.Truncated = true
			}
		}
	case "servfail.example.":
		m.Rcode = dns.RcodeServerFailure
	case "slow.example.":
		return // never answers
	default:
		m.Rcode = dns.RcodeNameError
	}
	w.WriteMsg(m)
}

func startZone(t *testing.T) *testZone {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", pc.LocalAddr().String())
	if err != nil {
		pc.Close()
		t.Fatal(err)
	}
	z := &testZone{addr: pc.LocalAddr().String()}
	servers := []*dns.Server{{PacketConn: pc, Handler: z}, {Listener: ln, Handler: z}}
	for _, s := range servers {
		started := make(chan struct{})
		s.NotifyStartedFunc = func() { close(started) }
		go func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("dns server panic: %v", p)
				}
			}()
			s.ActivateAndServe()
		}()
		<-started
	}
	t.Cleanup(func() {
		for _, s := range servers {
			s.Shutdown()
		}
	})
	return z
}

func TestCheckContext_dns(t *testing.T) {
	z := startZone(t)
	c, err := New(Options{Resolver: &DNSResolver{Server: z.addr, Timeout: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr     string
		code     Code // "" = no fault
		mx       []string
		implicit bool
	}{
		{"taro@mx.example", "", []string{"mx0.mx.example", "mx1.mx.example"}, false},
		{"taro@MX.example.", CodeDomainDot, []string{"mx0.mx.example", "mx1.mx.example"}, false},
		{"taro@nullmx.example", CodeNullMX, []string{"."}, false},
		{"taro@amx.example", "", nil, true},
		{"taro@v6only.example", "", nil, true},
		{"taro@nothing.example", CodeNoMailHost, nil, false},
		{"taro@missing.example", CodeHostUnknown, nil, false},
		{"taro@sub.missing.example", CodeHostUnknown, nil, false},
		{"taro@big.example", "", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			r, err := c.CheckContext(context.Background(), tc.addr)
			if err != nil {
				t.Fatalf("CheckContext(%q) error %v", tc.addr, err)
			}
			if r.DNS == nil {
				t.Fatalf("CheckContext(%q).DNS = nil", tc.addr)
			}
			if tc.code == "" && len(r.Faults) != 0 || tc.code != "" && !r.Has(tc.code) {
				t.Errorf("CheckContext(%q) faults = %v, want %q", tc.addr, codes(r), tc.code)
			}
			if tc.mx != nil && !slices.Equal(r.DNS.MX, tc.mx) {
				t.Errorf("MX = %v, want %v", r.DNS.MX, tc.mx)
			}
			if r.DNS.ImplicitMX != tc.implicit {
				t.Errorf("ImplicitMX = %v, want %v (%+v)", r.DNS.ImplicitMX, tc.implicit, r.DNS)
			}
			if tc.code == CodeHostUnknown || tc.code == CodeNullMX || tc.code == CodeNoMailHost {
				if r.Valid {
					t.Errorf("Valid = true with %s", tc.code)
				}
			}
		})
	}
	r, _ := c.CheckContext(context.Background(), "taro@big.example")
	if len(r.DNS.MX) != 60 || r.DNS.MX[0] != "mail-exchanger-number-00.a-rather-long-name.big.example" {
		t.Errorf("big.example over TCP: %d MX %v", len(r.DNS.MX), r.DNS.MX[:min(2, len(r.DNS.MX))])
	}
}

func TestCheckContext_dnsFailure(t *testing.T) {
	z := startZone(t)
	c, _ := New(Options{Resolver: &DNSResolver{Server: z.addr, Timeout: 300 * time.Millisecond}})
	for _, addr := range []string{"taro@servfail.example", "taro@slow.example"} {
		r, err := c.CheckContext(context.Background(), addr)
		if err == nil || errors.Is(err, ErrNXDomain) {
			t.Errorf("CheckContext(%q) error = %v, want a DNS failure", addr, err)
		}
		if r.DNS == nil || r.DNS.Error == "" || r.Has(CodeHostUnknown) || r.Has(CodeNoMailHost) {
			t.Errorf("CheckContext(%q) = %+v, want an unknown answer, no fault", addr, r)
		}
	}
	// A server that is not there.
	pc, _ := net.ListenPacket("udp", "127.0.0.1:0")
	dead := pc.LocalAddr().String()
	pc.Close()
	c, _ = New(Options{Resolver: &DNSResolver{Server: dead, Timeout: 300 * time.Millisecond}})
	if _, err := c.CheckContext(context.Background(), "taro@mx.example"); err == nil || !strings.Contains(err.Error(), dead) {
		t.Errorf("CheckContext with no server: error %v, want one naming %s", err, dead)
	}
}

func TestCheckContext_noQueryForBadDomain(t *testing.T) {
	z := startZone(t)
	c, _ := New(Options{Resolver: &DNSResolver{Server: z.addr}})
	for _, addr := range []string{"taro@docomo", "taro@do_como.ne.jp", "taro", "a@b@c.example", "taro@[192.0.2.1]"} {
		r, err := c.CheckContext(context.Background(), addr)
		if err != nil || r.DNS != nil {
			t.Errorf("CheckContext(%q) = %+v %v, want no DNS check", addr, r.DNS, err)
		}
	}
	if n := z.queries.Load(); n != 0 {
		t.Errorf("%d queries for malformed domains, want 0", n)
	}
	// Without a Resolver, CheckContext is Check.
	r, err := Check("taro@mx.example"), error(nil)
	r2, err := (&Checker{}).CheckContext(context.Background(), "taro@mx.example")
	if err != nil || r2.DNS != nil || len(r2.Faults) != len(r.Faults) {
		t.Errorf("CheckContext without a resolver = %+v %v", r2, err)
	}
}

// TestCheckContext_netResolver: *net.Resolver fits the interface; it cannot
// tell NXDOMAIN from "no records", so a missing domain is no_mail_host.
func TestCheckContext_netResolver(t *testing.T) {
	z := startZone(t)
	nr := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, z.addr)
	}}
	c, _ := New(Options{Resolver: nr})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if r, err := c.CheckContext(ctx, "taro@mx.example."); err != nil || len(r.DNS.MX) != 2 {
		t.Errorf("net.Resolver mx.example = %+v %v", r.DNS, err)
	}
	if r, err := c.CheckContext(ctx, "taro@missing.example"); err != nil || !r.Has(CodeNoMailHost) {
		t.Errorf("net.Resolver missing.example = %v %v, want no_mail_host", codes(r), err)
	}
}
