package decoders

import "strings"

// Verizon Wireless bounces come in two forms. The MMS gateway
// (sysadmin@...vzwpix.com, "MMSC NDR Administrator") says "Message could not
// be delivered to mobile." and "Error: <reason>", with the failed recipient
// in the "To:" line of the "Original Message:" summary. The SMS gateway
// (post_master@vtext.com) says "Error: <summary>", "Error message below:"
// and the reply on the next line, then "Message details:" with the
// envelope as "RCPT TO: a@b".

func matchVerizon(m *message) bool {
	f := m.lowerFrom()
	if contains(f, "vzwpix.com") || contains(f, "vtext.com") {
		return true
	}
	return contains(f, "verizon") && isBounceSender(f)
}

func decodeVerizon(m *message) *Report {
	lines := splitLines(m.text())
	var errs []string
	var reply, rcpt, origTo, mailFrom string
	inOriginal := false
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		lt := toLower(t)
		switch {
		case strings.HasPrefix(lt, "error message below:"):
			for j := i + 1; j < len(lines); j++ {
				if u := strings.TrimSpace(lines[j]); u != "" {
					reply = u
					i = j
					break
				}
			}
		case strings.HasPrefix(lt, "error:"):
			errs = append(errs, strings.TrimSpace(t[len("error:"):]))
		case strings.HasPrefix(lt, "rcpt to:"):
			rcpt = firstAddress(t)
		case strings.HasPrefix(lt, "mail from:"):
			mailFrom = firstAddress(t)
		case strings.HasPrefix(lt, "original message"):
			inOriginal = true
		case inOriginal && strings.HasPrefix(lt, "to:"):
			origTo = firstAddress(t)
		}
	}
	addr := rcpt
	if addr == "" {
		addr = origTo
	}
	if addr == "" || (len(errs) == 0 && reply == "") {
		return nil
	}
	r := Recipient{Address: addr, Action: "failed"}
	if reply != "" {
		r.Diagnostic = reply
	} else {
		r.Diagnostic = strings.Join(errs, " ")
	}
	ld := toLower(strings.Join(errs, " "))
	// The gateways' own summaries: "No valid recipients for this MM",
	// "Invalid user address".
	if contains(ld, "no valid recipients") || contains(ld, "invalid user") {
		r.ReasonHint = "user_unknown"
	}
	fillCodes(&r)
	rep := &Report{Kind: KindBounce, Format: "verizon", Recipients: []Recipient{r}}
	// The MMS gateway summarises the returned message as a header block.
	rep.Original = originalAfterLine(m.text(), "original message:")
	if !rep.Original.known && mailFrom != "" {
		rep.Original = Original{From: mailFrom, known: true}
	}
	return rep
}
