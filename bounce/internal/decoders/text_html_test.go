package decoders

import (
	"fmt"
	"strings"
	"testing"
)

// TestText_htmlNoticeWithTextAttachment: an HTML notice whose only plain
// text part is an attachment (the original's headers as a file) is read
// as the notice, then the attachment; an inline plain part is read alone.
func TestText_htmlNoticeWithTextAttachment(t *testing.T) {
	const msg = "From: mailer-daemon\nTo: rosa@example.es\nSubject: There was an error sending your mail\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n" +
		"--b\nContent-Type: %s; charset=us-ascii\n\n%s\n" +
		"--b\nContent-Type: text/plain; name=\"mailheaders.txt\"\nContent-Disposition: attachment; filename=\"mailheaders.txt\"\n\n" +
		"To: javier@example.com, lucia@example.com\nSubject: Presupuesto\n\n--b--\n"
	html := "<p>We had trouble delivering your message. Full details follow:</p>\n<p>The following recipients returned permanent errors: javier@example.com. " +
		"Reason: SMTP Server &lt;192.0.2.223&gt; refused to accept your message (RCPT TO), with the following error message: [550 5.1.1 User unknown]</p>"
	for _, c := range []struct{ ctype, body string }{
		{"text/html", html},
		{"text/plain", "We had trouble delivering your message. Full details follow:\n\nThe following recipients returned permanent errors: javier@example.com. " +
			"Reason: SMTP Server <192.0.2.223> refused to accept your message (RCPT TO), with the following error message: [550 5.1.1 User unknown]"},
	} {
		rep, err := Decode([]byte(fmt.Sprintf(msg, c.ctype, c.body)), testOptions())
		if err != nil || len(rep.Recipients) != 1 || rep.Recipients[0].Address != "javier@example.com" || rep.Recipients[0].Status != "5.1.1" {
			t.Errorf("%s notice: got %+v, %v; want javier@example.com 5.1.1 alone", c.ctype, rep, err)
		}
	}

	// An inline plain part beside an HTML one: the plain text alone.
	m, err := newMessage([]byte("MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"+
		"--b\nContent-Type: text/plain\n\nplain words\n--b\nContent-Type: text/html\n\n<p>html words</p>\n--b--\n"), testOptions(), false)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.text(); strings.Contains(got, "html") || !strings.Contains(got, "plain words") {
		t.Errorf("text() = %q, want the plain part's", got)
	}
}
