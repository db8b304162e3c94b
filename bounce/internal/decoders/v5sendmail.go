package decoders

import "strings"

// Sendmail 5 (and Sendmail 8 before DSNs) bounces are plain text, with no
// "The following addresses had ..." list: the recipients appear only in
// the transcript, in Sendmail's own lines about them.
//
//	   ----- Transcript of session follows -----
//	While talking to mail.example.co.jp:
//	>>> RCPT To:<mikeneko@example.co.jp>
//	<<< 550 Requested User Mailbox not found. No such user here.
//	550 <mikeneko@example.co.jp>... User unknown
//	550 example.org (smtp)... 550 Host unknown
//	554 <kijitora@example.org>... 550 Host unknown (Authoritative answer from name server)
//
//	   ----- Unsent message follows -----
//
// A "<<<" reply belongs to the next recipient line of the same session; a
// "host (smtp)..." line opens the account of another host. When the
// transcript names a host but no recipient, the recipients are those of
// the returned message's To header at that host.

func matchV5Sendmail(m *message) bool {
	if m.dsnPart() != nil {
		return false
	}
	s := m.lowerSubject()
	return strings.HasPrefix(s, "returned mail:") || strings.HasPrefix(s, "warning: could not send message") ||
		m.fromHas("mail delivery subsystem")
}

func decodeV5Sendmail(m *message) *Report {
	text := m.text()
	notice, _ := splitAtMarkerFrom(text, sendmailEndMarkers)
	body, ok := transcriptSection(notice)
	if !ok {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "v5sendmail"}
	// Sendmail's warning (savemail.c, errbody(), when the message is
	// still queued after Timeout.queuewarn) opens with a banner and ends
	// the transcript with the time it will keep trying; its recipients
	// are delayed, not failed. From the zoo's greylist case
	// (testdata/zoo/sendmail):
	//
	//	    **********************************************
	//	    **      THIS IS A WARNING MESSAGE ONLY      **
	//	    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **
	//	    **********************************************
	//	...
	//	<grey@example.net>... Deferred: 450 4.7.1 ...
	//	Warning: message still undelivered after 15 seconds
	//	Will keep trying until message is 1 minute old
	action := "failed"
	if containsLower(notice, "this is a warning message only") {
		action = "delayed"
	}
	rep.Original = originalAfter(text, sendmailEndMarkers)
	host, cmd := "", ""
	var pending []string // the "<<<" reply not yet given to a recipient
	type hostNote struct{ host, text, code string }
	var hostNotes []hostNote
	seenHost := map[string]bool{}
	var lbuf [256]byte
	for _, t := range nonBlankLines(body) {
		lt := lowerIn(lbuf[:], t) // read in this iteration only
		switch {
		case strings.HasPrefix(lt, "while talking to ") || strings.HasPrefix(lt, "... while talking to "):
			host = strings.TrimRight(strings.TrimSpace(t[strings.Index(lt, "talking to ")+len("talking to "):]), ".:")
			cmd, pending = "", nil
		case strings.HasPrefix(t, ">>>"):
			cmd = strings.TrimSpace(t[3:])
			pending = nil
		case strings.HasPrefix(t, "<<<"):
			r := strings.TrimSpace(t[3:])
			if rc := leadingReplyCode(r); len(pending) > 0 && rc != "" && strings.HasPrefix(pending[len(pending)-1], rc+"-") {
				pending = append(pending, r)
			} else {
				pending = []string{r}
			}
		default:
			code := leadingReplyCode(t)
			s := t
			if code != "" {
				s = strings.TrimSpace(s[3:])
			}
			dots := strings.Index(s, "... ")
			if dots <= 0 {
				continue
			}
			who := strings.TrimSpace(s[:dots])
			rest := strings.TrimSpace(s[dots+4:])
			if strings.HasPrefix(toLower(rest), "deferred: ") {
				rest = strings.TrimSpace(rest[len("deferred: "):])
			}
			if sp := strings.Index(who, " ("); sp > 0 && !contains(who, "@") {
				// "example.org (smtp)... 550 Host unknown": about a host.
				h := who[:sp]
				if !strings.EqualFold(h, host) {
					// Another host's account: not the one talked to.
					host, cmd, pending = "", "", nil
				}
				if code != "" && code[0] != '2' && !seenHost[toLower(h)] {
					seenHost[toLower(h)] = true
					hostNotes = append(hostNotes, hostNote{h, rest, code})
				}
				continue
			}
			a, local := normalizeAddress(who), false
			if a == "" {
				a = sendmailLocalUser(who, rep.Original)
				local = a != ""
			}
			if a == "" {
				continue
			}
			r := Recipient{Address: a, Action: action, RemoteMTA: host}
			if local && len(pending) == 0 && containsLower(rest, "user unknown") {
				// sendmail's own lookup of a user of its own host, no
				// remote server's reply: the address does not exist
				// there, whatever the stage.
				r.ReasonHint = "user_unknown"
			}
			if len(pending) > 0 {
				r.Diagnostic = joinReply(pending)
				r.Command = smtpCommand(cmd)
				pending = nil
			} else {
				r.Diagnostic = rest
				if host != "" && !strings.EqualFold(domainOf(a), host) {
					r.Command = smtpCommand(cmd)
				}
			}
			if r.ReplyCode = leadingReplyCode(r.Diagnostic); r.ReplyCode == "" {
				r.ReplyCode = code
			}
			finishRecipient(&r)
			if findRecipient(rep.Recipients, a) < 0 {
				rep.Recipients = append(rep.Recipients, r)
			}
		}
	}
	// Hosts the transcript gave up on without naming a recipient.
	for _, hn := range hostNotes {
		named := false
		for _, r := range rep.Recipients {
			if strings.EqualFold(domainOf(r.Address), hn.host) || strings.HasSuffix(toLower(domainOf(r.Address)), "."+toLower(hn.host)) {
				named = true
				break
			}
		}
		if named {
			continue
		}
		for _, a := range toAddresses(rep.Original) {
			d := domainOf(a)
			if strings.EqualFold(d, hn.host) || strings.HasSuffix(d, "."+toLower(hn.host)) {
				r := Recipient{Address: a, Action: "failed", Diagnostic: hn.text, ReplyCode: hn.code}
				finishRecipient(&r)
				rep.Recipients = append(rep.Recipients, r)
			}
		}
	}
	return rep
}

// sendmailLocalUser returns the returned message's recipient whose local
// part is who, a bare name the transcript gives for a user of the
// reporting host itself (sendmail names a local recipient by its user
// name: "550 mizuki... User unknown"), or "" when who is no plain name or
// the returned message's To names no such address, or names more than one.
func sendmailLocalUser(who string, o Original) string {
	if who == "" || len(who) > 64 || strings.Trim(who, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") != "" {
		return ""
	}
	found := ""
	for _, a := range toAddresses(o) {
		if at := strings.LastIndexByte(a, '@'); at > 0 && strings.EqualFold(a[:at], who) {
			if found != "" {
				return ""
			}
			found = a
		}
	}
	return found
}
