package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Oracle Communications Messaging Server (formerly Sun Java System / Sun ONE
// Messaging Server, iPlanet; used by iCloud) writes multipart/report
// notices with MIME boundaries "Boundary_(ID_...)" and the subject
// "Delivery Notification: ...". The text part lists, per recipient,
// "Recipient address:", "Original address:", "Reason:", "Diagnostic code:"
// and "Remote system:" lines; the delivery-status part repeats them, but
// omits the Diagnostic-Code when the server itself gave up (the Reason is
// then the only description) and may give a source-routed Final-Recipient
// ("@relay:user@host").

func matchMessagingServer(m *message) bool {
	if contains(m.getField("content-type"), "Boundary_(ID_") {
		return true
	}
	// Its notices' subject ("Delivery Notification: Delivery has
	// failed", "... Delivery has been delayed") marks it also where an
	// older version (iPlanet) sent a plain-text notice without the MIME
	// boundary; decode then finds no recipient block in other mail.
	return strings.HasPrefix(m.subject, "Delivery Notification: ")
}

// messagingServerBlock is one recipient of the text part.
type messagingServerBlock struct {
	recipient, original, reason, diagnostic, remote string
}

func decodeMessagingServer(m *message) *Report {
	notice := m.notice()
	blocks := messagingServerBlocks(notice)
	rep := dsnWithCommands(m, "messagingserver")
	if rep == nil {
		// A plain-text notice (iPlanet's, or one a relay stripped of
		// its delivery-status part) gives no Action field: only a
		// delay says itself ("Your message has been delayed and is
		// still awaiting delivery to the following recipients").
		rep = &Report{Kind: KindBounce, Format: "messagingserver"}
		action := ""
		if l := m.lowerNotice(); contains(l, "has been delayed") || contains(l, "still awaiting delivery") {
			action = "delayed"
		}
		for _, b := range blocks {
			a := normalizeAddress(b.original)
			if a == "" {
				a = normalizeAddress(b.recipient)
			}
			if a != "" {
				rep.Recipients = append(rep.Recipients, Recipient{Address: a, Action: action})
			}
		}
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		for _, b := range blocks {
			if !strings.EqualFold(normalizeAddress(b.original), r.Address) && !strings.EqualFold(normalizeAddress(b.recipient), r.Address) {
				continue
			}
			diag := strings.TrimSpace(b.diagnostic)
			if k := strings.IndexByte(diag, ';'); k >= 0 && k < 12 {
				diag = strings.TrimSpace(diag[k+1:]) // "smtp;550 ..."
			}
			if diag == "" {
				diag = b.reason
			}
			// The delivery-status part's diagnostic, when it has one, is
			// the same reply; otherwise the notice's words replace what
			// enrichFromText guessed.
			if diag != "" && (r.DiagnosticType == "" || r.Diagnostic == "") {
				r.Diagnostic = diag
				fillCodes(r)
			}
			if r.RemoteMTA == "" && b.remote != "" {
				r.RemoteMTA = b.remote
			}
			if r.Command == "" {
				r.Command = messagingServerCommand(b.reason)
			}
			break
		}
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	if m.originalPart() == nil {
		rep.Original = messagingServerOriginal(notice)
	}
	return rep
}

// messagingServerOriginal reads the indented header fields that follow
// "This report relates to a message you sent with the following header
// fields:", for reports that return no copy of the message.
func messagingServerOriginal(notice string) Original {
	i := strings.Index(notice, "with the following header fields:")
	if i < 0 {
		return Original{}
	}
	var b strings.Builder
	for _, t := range blockAfter(notice[i:]) {
		if c := strings.Index(t, ": "); c <= 0 || strings.ContainsAny(t[:c], " \t") {
			break
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	h, _ := mime.ParseHeader(bytesOf(b.String()))
	return originalFromHeader(h)
}

// messagingServerCommand maps the server's description of a remote
// refusal to the command refused.
func messagingServerCommand(reason string) string {
	l := toLower(reason)
	switch {
	case contains(l, "rejected address"), contains(l, "rejected recipient"):
		return "RCPT"
	case contains(l, "mail from"):
		return "MAIL"
	case contains(l, "rejected message"), contains(l, "after data"):
		return "DATA"
	}
	return ""
}

// messagingServerBlocks reads the per-recipient lines of the text part.
func messagingServerBlocks(notice string) []messagingServerBlock {
	var out []messagingServerBlock
	var cur *messagingServerBlock
	for line := range lineSeq(notice) {
		t := strings.TrimSpace(line)
		c := strings.Index(t, ": ")
		if c <= 0 {
			continue
		}
		key, val := toLower(t[:c]), strings.TrimSpace(t[c+2:])
		switch key {
		case "recipient address":
			out = append(out, messagingServerBlock{recipient: val})
			cur = &out[len(out)-1]
		case "original address":
			if cur != nil {
				cur.original = val
			}
		case "reason":
			if cur != nil {
				cur.reason = val
			}
		case "diagnostic code":
			if cur != nil {
				cur.diagnostic = val
			}
		case "remote system":
			if cur != nil {
				cur.remote = val
			}
		}
	}
	return out
}
