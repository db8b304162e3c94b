package addrcheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// ErrNXDomain is wrapped by a Resolver's error when the name does not
// exist (RCODE 3, NXDOMAIN; RFC 8020: nothing exists below it either).
var ErrNXDomain = errors.New("addrcheck: no such domain")

// Resolver looks up the records the mail host check needs. A lookup that
// finds the name but no record of the type returns no records and a nil
// error; a name that does not exist returns an error wrapping ErrNXDomain;
// any other error means the answer is unknown (timeout, SERVFAIL).
//
// *net.Resolver has the same methods, but it reports "no such host" both
// for a missing name and for a name without records of the type
// (*net.DNSError with IsNotFound); the check then says no_mail_host, never
// host_unknown. DNSResolver tells the two apart.
type Resolver interface {
	LookupMX(ctx context.Context, domain string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// DNSResult is what the DNS check found.
type DNSResult struct {
	// MX lists the mail hosts, most preferred first ("." for a null MX).
	MX []string `json:"mx,omitempty"`
	// ImplicitMX is true when the domain has no MX and its own address
	// records stand in for one (RFC 5321 5.1).
	ImplicitMX bool `json:"implicit_mx,omitempty"`
	// Addresses are the domain's A/AAAA records when ImplicitMX.
	Addresses []string `json:"addresses,omitempty"`
	// Error says why the check could not finish, when it could not.
	Error string `json:"error,omitempty"`
}

func notFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

// checkDNS applies RFC 5321 5.1 and RFC 7505 to domain.
func checkDNS(ctx context.Context, res Resolver, domain string) (*DNSResult, []Fault, error) {
	dr := &DNSResult{}
	fail := func(err error) (*DNSResult, []Fault, error) {
		dr.Error = err.Error()
		return dr, nil, err
	}
	mxs, err := res.LookupMX(ctx, domain)
	switch {
	case errors.Is(err, ErrNXDomain):
		return dr, []Fault{newFault(CodeHostUnknown, "")}, nil
	case err != nil && !notFound(err):
		return fail(fmt.Errorf("addrcheck: mx lookup of %s: %w", domain, err))
	}
	slices.SortStableFunc(mxs, func(a, b *net.MX) int { return int(a.Pref) - int(b.Pref) })
	for _, mx := range mxs {
		host := strings.TrimSuffix(mx.Host, ".")
		if host == "" {
			host = "."
		}
		dr.MX = append(dr.MX, host)
	}
	// RFC 7505 3: a null MX is the single record "0 ."; a domain that
	// publishes it among others is misconfigured, and senders treat the
	// "." as unusable. Only the null MX alone says "no mail".
	if len(mxs) == 1 && (mxs[0].Host == "." || mxs[0].Host == "") {
		return dr, []Fault{newFault(CodeNullMX, "")}, nil
	}
	if len(mxs) > 0 {
		return dr, nil, nil
	}
	// No MX: the domain itself is the mail host when it has an address
	// (RFC 5321 5.1).
	ips, err := res.LookupIPAddr(ctx, domain)
	switch {
	case errors.Is(err, ErrNXDomain):
		return dr, []Fault{newFault(CodeHostUnknown, "")}, nil
	case err != nil && !notFound(err):
		return fail(fmt.Errorf("addrcheck: address lookup of %s: %w", domain, err))
	}
	if len(ips) == 0 {
		return dr, []Fault{newFault(CodeNoMailHost, "")}, nil
	}
	dr.ImplicitMX = true
	for _, ip := range ips {
		dr.Addresses = append(dr.Addresses, ip.String())
	}
	return dr, nil, nil
}

// DefaultDNSTimeout bounds one DNSResolver query when Timeout is zero.
const DefaultDNSTimeout = 5 * time.Second

// DNSResolver is a Resolver that asks one DNS server (a recursive
// resolver) over UDP, retrying over TCP when the answer is truncated. It
// tells a missing name (NXDOMAIN) from a name without records.
type DNSResolver struct {
	// Server is the resolver's "host:port"; a host alone means port 53.
	// Empty uses the first nameserver of /etc/resolv.conf.
	Server string
	// Timeout bounds each query; zero means DefaultDNSTimeout.
	Timeout time.Duration
}

func (r *DNSResolver) server() (string, error) {
	if r.Server != "" {
		if _, _, err := net.SplitHostPort(r.Server); err != nil {
			return net.JoinHostPort(strings.Trim(r.Server, "[]"), "53"), nil
		}
		return r.Server, nil
	}
	cc, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(cc.Servers) == 0 {
		return "", fmt.Errorf("addrcheck: no DNS server configured and none in /etc/resolv.conf: %v", err)
	}
	return net.JoinHostPort(cc.Servers[0], cc.Port), nil
}

// query asks for name's records of type qtype and returns the answer
// section.
func (r *DNSResolver) query(ctx context.Context, name string, qtype uint16) ([]dns.RR, error) {
	server, err := r.server()
	if err != nil {
		return nil, err
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultDNSTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = true
	m.SetEdns0(1232, false)
	c := &dns.Client{Net: "udp", Timeout: timeout}
	in, _, err := c.ExchangeContext(ctx, m, server)
	if err == nil && in.Truncated {
		c.Net = "tcp"
		in, _, err = c.ExchangeContext(ctx, m, server)
	}
	if err != nil {
		return nil, fmt.Errorf("addrcheck: query %s %s at %s: %w", dns.TypeToString[qtype], name, server, err)
	}
	switch in.Rcode {
	case dns.RcodeSuccess:
		return in.Answer, nil
	case dns.RcodeNameError:
		return nil, fmt.Errorf("%w: %s", ErrNXDomain, name)
	default:
		return nil, fmt.Errorf("addrcheck: query %s %s at %s: server answered %s", dns.TypeToString[qtype], name, server, dns.RcodeToString[in.Rcode])
	}
}

// LookupMX returns domain's MX records (the answer's, after any CNAME the
// resolver followed).
func (r *DNSResolver) LookupMX(ctx context.Context, domain string) ([]*net.MX, error) {
	ans, err := r.query(ctx, domain, dns.TypeMX)
	if err != nil {
		return nil, err
	}
	var out []*net.MX
	for _, rr := range ans {
		if mx, ok := rr.(*dns.MX); ok {
			out = append(out, &net.MX{Host: mx.Mx, Pref: mx.Preference})
		}
	}
	return out, nil
}

// LookupIPAddr returns host's A and AAAA records.
func (r *DNSResolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	var out []net.IPAddr
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		ans, err := r.query(ctx, host, qt)
		if err != nil {
			return nil, err
		}
		for _, rr := range ans {
			switch v := rr.(type) {
			case *dns.A:
				out = append(out, net.IPAddr{IP: v.A})
			case *dns.AAAA:
				out = append(out, net.IPAddr{IP: v.AAAA})
			}
		}
	}
	return out, nil
}
