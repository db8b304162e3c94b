package decoders

import (
	"fmt"
	"testing"
)

// TestAddressFormsR11 has cases for what the eleventh round of
// testdata/unseen added: an address cut at its "@", an unqualified
// Final-Recipient, the same mailbox in two cases, and a notice that names
// no address.
func TestAddressFormsR11(t *testing.T) {
	for in, want := range map[string]string{
		"<christopher.mw@\n example.co.uk>:\nSorry": "<christopher.mw@example.co.uk>:\nSorry",
		"<a@\r\n\texample.org> no such user":        "<a@example.org> no such user",
		// not an open angle bracket, no closing one, no dot: as is
		"mail for a@\nexample.org>":   "mail for a@\nexample.org>",
		"<a@\nexample.org is unknown": "<a@\nexample.org is unknown",
		"<a@\nlocalhost>":             "<a@\nlocalhost>",
		"nothing here":                "nothing here",
	} {
		if got := joinBrokenAddresses(in); got != want {
			t.Errorf("joinBrokenAddresses(%q) = %q, want %q", in, got, want)
		}
	}

	for a, want := range map[string]bool{"jsmith@mailhub": true, "root@localhost": true, "a@example.com": false, "a@[192.0.2.1]": false} {
		if got := unqualified(a); got != want {
			t.Errorf("unqualified(%q) = %v, want %v", a, got, want)
		}
	}

	var s mailboxSet
	rs := []Recipient{{Address: "Pat.Doe@example.com", Action: "failed"}}
	for _, c := range []struct {
		r    Recipient
		want bool
	}{
		{Recipient{Address: "pat.doe@example.com", Action: "failed"}, true},
		{Recipient{Address: "Pat.Doe@example.com", Action: "failed"}, false},  // repeated as written: kept
		{Recipient{Address: "pat.doe@example.com", Action: "delayed"}, false}, // another action
		{Recipient{Address: "pat.roe@example.com", Action: "failed"}, false},
	} {
		if got := s.listed(rs, c.r); got != c.want {
			t.Errorf("listed(%v) = %v, want %v", c.r, got, c.want)
		}
	}
	// Many recipients: the set's answers are the same.
	var many []Recipient
	for i := 0; i < 20; i++ {
		many = append(many, Recipient{Address: string(rune('a'+i)) + "x@example.com", Action: "failed"})
	}
	var s2 mailboxSet
	if !s2.listed(many, Recipient{Address: "AX@example.com", Action: "failed"}) || s2.listed(many, Recipient{Address: "ax@example.com", Action: "failed"}) {
		t.Error("mailboxSet with many recipients differs from the few")
	}
}

// TestDecodeR11 decodes small messages for the DSN and notice cases.
func TestDecodeR11(t *testing.T) {
	dsn := "From: postmaster@corp.example.com\nTo: shop@shop.example\nSubject: Delivery Status Notification (Failure)\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n" +
		"--b\nContent-Type: text/plain\n\nDelivery failed.\n\n--b\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mailhub.corp.example.com\n\n" +
		"Final-Recipient: rfc822; %s\nOriginal-Recipient: rfc822; John.Smith@example.com\nAction: failed\nStatus: 5.1.1\n\n--b--\n"
	for final, want := range map[string]string{
		"jsmith@mailhub":                  "John.Smith@example.com", // internal name: the sender's address
		"jsmith@mailhub.corp.example.com": "jsmith@mailhub.corp.example.com",
	} {
		rep, err := Decode([]byte(fmt.Sprintf(dsn, final)), testOptions())
		if err != nil || len(rep.Recipients) != 1 || rep.Recipients[0].Address != want {
			t.Errorf("Final-Recipient %s: got %+v, %v; want %s", final, rep, err, want)
		}
	}

	notice := "From: Mail Delivery Service <postmaster@mail.example.de>\nTo: shop@shop.example\nSubject: Undeliverable message\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n" +
		"--b\nContent-Type: text/plain\n\nYour message could not be delivered because the recipient's mailbox is full.\n\n" +
		"--b\nContent-Type: message/rfc822\n\nFrom: shop@shop.example\nTo: %s\nSubject: x\n\nx\n--b--\n"
	for to, want := range map[string]int{
		"Lena <lena@example.de>":          1,
		"lena@example.de, ole@example.de": 0, // which one failed, the notice does not say
		"shop@shop.example":               0, // the sender's own address
	} {
		rep, err := Decode([]byte(fmt.Sprintf(notice, to)), testOptions())
		if err != nil || len(rep.Recipients) != want {
			t.Errorf("returned To %q: got %+v, %v; want %d recipients", to, rep, err, want)
		}
	}
}
