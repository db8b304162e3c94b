package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// The DragonFly Mail Agent (dma, https://github.com/corecode/dma), the
// small MTA of DragonFly BSD and other systems, bounces with a Received
// header "by HOST (DragonFly Mail Agent vX)" and a one-recipient notice
// (dma's bounce.c):
//
//	This is the DragonFly Mail Agent v0.13 at df.example.jp.
//
//	There was an error delivering your mail to <kijitora@example.jp>.
//
//	mx.example.jp [192.0.2.25] did not like our RCPT TO:
//	550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown
//
//	Original message follows.
//
// "did not like our X" (net.c) names the command the server refused; the
// lines after it are its reply. dma's own errors ("DNS lookup failure:
// host X not found", "Could not deliver for the last N seconds. Giving
// up.") stand alone.

func matchDragonFly(m *message) bool {
	if receivedHas(m, "(DragonFly Mail Agent") {
		return true
	}
	return mailerDaemonFrom(m) && contains(textPeek(m, 200), "dragonfly mail agent")
}

// dragonflyEndMarkers end dma's notice; the returned message or its
// headers follow.
var dragonflyEndMarkers = []string{"original message follows.", "message headers follow."}

func decodeDragonFly(m *message) *Report {
	// QUIRK: the address may be folded onto the next line.
	const lead = "there was an error delivering your mail to"
	text := m.text()
	section, ok := sectionFrom(text, lead)
	if !ok {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "dragonfly"}
	rep.Original = originalAfter(text, dragonflyEndMarkers)
	if j := mime.IndexFold(text, "this is the dragonfly mail agent "); j >= 0 {
		if k := mime.IndexFold(text[j:], " at "); k >= 0 {
			h := text[j+k+4:]
			if nl := strings.IndexAny(h, "\n "); nl >= 0 {
				h = h[:nl]
			}
			rep.ReportingMTA = strings.TrimRight(h, ".")
		}
	}
	rest := strings.TrimLeft(section[len(lead):], " \t\n")
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		nl = len(rest)
	}
	addr := normalizeAddress(strings.TrimRight(strings.TrimSpace(rest[:nl]), "."))
	if addr == "" {
		return nil
	}
	r := Recipient{Address: addr, Action: "failed"}
	// The error is the paragraph up to "Original message follows." or
	// "Message headers follow.".
	body := rest[nl:]
	lb := toLower(body)
	for _, mk := range dragonflyEndMarkers {
		if e := strings.Index(lb, mk); e >= 0 {
			body, lb = body[:e], lb[:e]
		}
	}
	var reply []string
	var lbuf [256]byte
	for l := range lineSeq(strings.TrimSpace(body)) {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		lt := lowerIn(lbuf[:], t) // read in this iteration only
		if k := strings.Index(lt, " did not like our "); k >= 0 && strings.HasSuffix(t, ":") {
			if h, _, ok := hostAndRest(t[:k]); ok {
				r.RemoteMTA = h
			}
			r.Command = smtpCommand(strings.TrimSuffix(t[k+len(" did not like our "):], ":"))
			continue
		}
		reply = append(reply, t)
	}
	r.Diagnostic = joinReply(reply)
	if strings.HasPrefix(toLower(r.Diagnostic), "could not deliver for the last ") {
		// dma gave up after its queue lifetime (MAX_TIMEOUT).
		r.ReasonHint = "expired"
	}
	finishRecipient(&r)
	rep.Recipients = []Recipient{r}
	return rep
}
