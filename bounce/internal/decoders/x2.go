package decoders

import "strings"

// X2 is an unidentified qmail-derived MTA (used by Yahoo! JAPAN and
// hosting providers). Its notice opens with "Message from DOMAIN." and
// "Unable to deliver message to the following address(es).", then lists
// qmail-style "<address>:" paragraphs, then "--- Original message
// follows.":
//
//	<kijitora@example.co.jp>:
//	This user doesn't have a example.co.jp account (kijitora@example.co.jp) [-9]
//
// A later layout of the same family ("NOTICE: Delivery Failure.")
// writes "Delivery failed: <address>" and qmail's sentences, with
// "Remote host said[Response Message]:" and a "STEP: DATA SEND" line.

func matchX2(m *message) bool {
	s := m.lowerSubject()
	if !contains(s, "deliver") && !contains(s, "failure") {
		return false
	}
	return mailerDaemonFrom(m)
}

func decodeX2(m *message) *Report {
	lower := m.lowerNotice()
	rep := &Report{Kind: KindBounce, Format: "x2"}
	// The notice unfolded (a reply a relay folded, whole) for one of
	// the two layouts only: most notices the subject let in are neither.
	var notice string
	switch {
	case contains(lower, "unable to deliver message to the following address"):
		notice = unfoldWrapped(m.notice())
		for _, p := range addressParagraphs(notice, qmailStyle) {
			r := Recipient{Address: p.addr, Action: "failed"}
			qmailDetail(&r, p.lines)
			finishRecipient(&r)
			rep.Recipients = append(rep.Recipients, r)
		}
	case contains(lower, "delivery failed: "):
		notice = unfoldWrapped(m.notice())
		var cur *addrPara
		var paras []addrPara
		for l := range lineSeq(notice) {
			t := strings.TrimSpace(l)
			lt := toLower(t)
			if strings.HasPrefix(lt, "delivery failed: ") {
				if a := normalizeAddress(t[len("delivery failed: "):]); a != "" {
					if cur != nil {
						paras = append(paras, *cur)
					}
					cur = &addrPara{addr: a}
				}
				continue
			}
			if cur == nil || t == "" {
				continue
			}
			if strings.HasPrefix(lt, "step: ") {
				continue
			}
			cur.lines = append(cur.lines, t)
		}
		if cur != nil {
			paras = append(paras, *cur)
		}
		for _, p := range paras {
			r := Recipient{Address: p.addr, Action: "failed"}
			qmailDetail(&r, p.lines)
			finishRecipient(&r)
			rep.Recipients = append(rep.Recipients, r)
		}
	default:
		return nil
	}
	return rep
}
