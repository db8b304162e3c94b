package classify

import "strings"

// Provider is a mail provider whose wordings and codes mean something
// specific coming from it. Its rules are tried before the generic text
// rules when the remote MTA or the recipient's domain is one of its hosts,
// or the text carries one of its signatures; a wording no provider rule
// knows falls through to the generic tables.
type Provider struct {
	// Name appears in Verdict.Rule: "provider:NAME/...".
	Name string
	// Hosts are domain suffixes of its MX hosts and mail domains: a host
	// or a domain matches when it equals one or ends in "." + one.
	Hosts []string
	// Signs are wordings only its servers write (error-code URLs, code
	// prefixes), for when the host is unknown.
	Signs []string
	// Rules are tried in order.
	Rules []Rule

	signs []pattern
}

// findProvider returns the provider the facts come from, or nil.
func (t *Rules) findProvider(f *facts) *Provider {
	for _, host := range []string{f.remote, f.domain} {
		if host == "" {
			continue
		}
		for i := range t.providers {
			for _, h := range t.providers[i].Hosts {
				if host == h || strings.HasSuffix(host, h) && host[len(host)-len(h)-1] == '.' {
					return &t.providers[i]
				}
			}
		}
	}
	if f.text == "" {
		return nil
	}
	for i := range t.providers {
		for j := range t.providers[i].signs {
			if t.providers[i].signs[j].in(&f.idx) {
				return &t.providers[i]
			}
		}
	}
	return nil
}
