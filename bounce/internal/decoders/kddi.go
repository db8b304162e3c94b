package decoders

import "strings"

// au one net (KDDI's ISP mail, formerly DION: dion.ne.jp, auone-net.jp)
// writes reports from no-reply@<host>.dion.ne.jp with Reply-To
// no-reply@app.auone-net.jp, relayed by *.auone-net.jp hosts. Recognised by
// that sender or Reply-To. An optional Japanese notice (ISO-2022-JP)
// precedes the English block, and the original is attached:
//
//	Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
//	     Could not be delivered to: <kijitora@example.dion.ne.jp>
//	     As their mailbox is full.
//
// Older reports say "Your mail attempted to be delivered on:" and give the
// SMTP error after "Due to the following SMTP relay error".

// kddiCauses are au one net's sentences, lower-case, and the reason each
// states.
var kddiCauses = []phraseHint{
	{"as their mailbox is full", "mailbox_full"},
	{"as the remote domain doesnt exist", "host_unknown"},
	{"as the remote domain doesn't exist", "host_unknown"},
}

func matchKDDI(m *message) bool {
	f := m.lowerFrom()
	if contains(f, "no-reply@") && (contains(f, ".dion.ne.jp") || contains(f, "auone-net.jp")) {
		return true
	}
	return contains(toLower(m.getField("reply-to")), "no-reply@app.auone-net.jp")
}

func decodeKDDI(m *message) *Report {
	rep := &Report{Kind: KindBounce, Format: "kddi"}
	var cur *Recipient
	started := false
	for _, line := range strings.Split(m.notice(), "\n") {
		t := strings.TrimSpace(line)
		lt := toLower(t)
		switch {
		case strings.HasPrefix(lt, "your mail sent on:") || strings.HasPrefix(lt, "your mail attempted to be delivered on:"):
			started = true
			cur = nil
		case !started:
		case strings.HasPrefix(lt, "could not be delivered to:"):
			a := normalizeAddress(t[len("could not be delivered to:"):])
			if a == "" {
				cur = nil
				continue
			}
			rep.Recipients = append(rep.Recipients, Recipient{Address: a, Action: "failed"})
			cur = &rep.Recipients[len(rep.Recipients)-1]
		case t == "":
			cur = nil
		case cur != nil:
			cur.Diagnostic = strings.TrimSpace(cur.Diagnostic + " " + t)
		}
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if h := hintOf(r.Diagnostic, kddiCauses); h != "" {
			r.ReasonHint = h
		}
		fillCodes(r)
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}
