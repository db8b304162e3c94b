package decoders

import "testing"

// TestExchangeHostReply: Exchange 2010's "HOST #REPLY ##" line of the
// administrators' section, and lines that are not one.
func TestExchangeHostReply(t *testing.T) {
	for _, c := range []struct{ line, want string }{
		{"mx.example.net #554 5.7.1 Message rejected as spam ##", "554 5.7.1 Message rejected as spam"},
		{"smtp04.example.com #550-The domain does not 550 exist. Sorry. ##", "550-The domain does not 550 exist. Sorry."},
		{"mx.example.net #not a reply ##", ""},
		{"#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", ""}, // no host: the other form
		{"not-a-host #550 5.1.1 x ##", ""},
		{"mx.example.net #550 5.1.1 no closing marks", ""},
	} {
		if got := exchangeHostReply(c.line); got != c.want {
			t.Errorf("exchangeHostReply(%q) = %q, want %q", c.line, got, c.want)
		}
	}
}
