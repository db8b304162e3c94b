package decoders

import "strings"

// Trend Micro InterScan Messaging Security Suite (InterScan MSS) writes
// multipart/mixed notices with the boundary "InterScan_NT_MIME_Boundary",
// from "InterScan MSS" or with a first line "****** Message from InterScan
// Messaging Security Suite ******". The text part holds either the SMTP
// exchange ("Sent <<< RCPT TO:<a@b>" then "Received >>> 550 ...") or a
// summary ("Reason: Unable to deliver message to <a@b> (and other
// recipients in the same domain)."), and ends with "*** End of message
// ***"; the returned message is attached.

func matchTrendMicro(m *message) bool {
	if containsFold(m.getField("content-type"), "interscan") {
		return true
	}
	return m.fromHas("interscan")
}

func decodeTrendMicro(m *message) *Report {
	rep := &Report{Kind: KindBounce, Format: "trendmicro"}
	lines := splitLines(m.notice())
	index := map[string]int{}
	add := func(a string) *Recipient {
		if i, ok := index[a]; ok {
			return &rep.Recipients[i]
		}
		index[a] = len(rep.Recipients)
		rep.Recipients = append(rep.Recipients, Recipient{Address: a, Action: "failed"})
		return &rep.Recipients[len(rep.Recipients)-1]
	}
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		lt := toLower(t)
		switch {
		case strings.HasPrefix(lt, "sent <<< "):
			sent := t[len("sent <<< "):]
			a := firstAddress(sent)
			if a == "" {
				continue
			}
			replies, last := takeLines(lines, i+1, func(u string) bool {
				return strings.HasPrefix(toLower(u), "received >>> ")
			})
			i = last
			var reply []string
			for _, u := range replies {
				reply = append(reply, u[len("received >>> "):])
			}
			r := add(a)
			r.Command = smtpCommand(toLower(sent))
			r.Diagnostic = strings.Join(reply, " ")
			fillCodes(r)
		case strings.HasPrefix(lt, "reason:") && contains(t, "@"):
			words := strings.TrimSpace(t[len("reason:"):])
			for _, a := range findAddresses(words) {
				r := add(a)
				if r.Diagnostic == "" {
					r.Diagnostic = words
					fillCodes(r)
				}
			}
		}
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}
