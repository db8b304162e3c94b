package bounce

import (
	"os"
	"testing"
)

// TestOriginal_headerOnDemand checks the Original's header methods on a
// bounce that returns the message: Fields lists every field in order,
// Header and Get agree with it, whatever the case of the name asked.
func TestOriginal_headerOnDemand(t *testing.T) {
	raw, err := os.ReadFile("testdata/postfix-dsn.eml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := DecodeBytes(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Original
	fs := o.Fields()
	if !o.Known() || len(fs) == 0 {
		t.Fatalf("Original = %+v, Known %v, %d fields; want the returned header", o, o.Known(), len(fs))
	}
	seen := map[string]int{}
	for _, f := range fs {
		vs := o.Header(f.Name)
		if n := seen[f.Name]; n >= len(vs) || vs[n] != f.Value {
			t.Errorf("Header(%q) = %q, want %q at %d", f.Name, vs, f.Value, n)
		}
		if seen[f.Name] == 0 && o.Get(f.Name) != f.Value {
			t.Errorf("Get(%q) = %q, want %q", f.Name, o.Get(f.Name), f.Value)
		}
		seen[f.Name]++
	}
	if got := o.Get("SUBJECT"); got == "" || got != o.Get("subject") {
		t.Errorf("Get(SUBJECT) = %q, Get(subject) = %q; want the same Subject", got, o.Get("subject"))
	}
	if o.Header("X-No-Such-Field") != nil || o.Get("X-No-Such-Field") != "" {
		t.Error("a field the original does not have has values")
	}
	var none Original
	if none.Known() || none.Fields() != nil || none.Get("Subject") != "" {
		t.Error("the zero Original has a header")
	}
}

// TestOriginal_forwardedBounce checks that a bounce forwarded whole (a
// person's "Fwd:" with the bounce attached, plain or beside Outlook's
// winmail.dat) describes the message that bounced, not the attached
// bounce itself: the outer message's first attached message is the
// bounce, whose own attachment is the original.
func TestOriginal_forwardedBounce(t *testing.T) {
	for _, name := range []string{"r6-forwarded-dsn", "r6-tnef-forward"} {
		raw, err := os.ReadFile("testdata/unseen/" + name + ".eml")
		if err != nil {
			t.Fatal(err)
		}
		rep, err := DecodeBytes(raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		o := rep.Original
		if o.MessageID != "order-77@shop.example" || o.From != "sender@shop.example" || o.Subject != "Order update" {
			t.Errorf("%s: Original = {%q %q %q}, want the returned order mail {order-77@shop.example sender@shop.example Order update}",
				name, o.MessageID, o.From, o.Subject)
		}
	}
}
