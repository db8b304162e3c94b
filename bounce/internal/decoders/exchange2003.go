package decoders

import (
	"net/mail"
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Microsoft Exchange Server 5.5 / 2000 / 2003 non-delivery reports.
//
// These predate Exchange's RFC 3464 support: a plain-text notice, often
// with the original message attached, recognised by the X-Mailer of the
// Internet Mail Service or Internet Mail Connector, or the
// X-MS-Embedded-Report header. The notice reads
//
//	Your message
//	  To: ... Subject: ... Sent: ...
//	did not reach the following recipient(s):
//
//	kijitora@example.jp on Thu, 29 Apr 2010 00:00:00 -0000
//	    The recipient name is not recognized
//	    MSEXCH:IMS:NNN:KIJITORACAT:NEKO 0 (000C05A6) Unknown Recipient
//
// or, from the Internet Mail Connector, "The following recipient(s) could
// not be reached:" with the same kind of blocks (Outlook's own notices,
// for a message it could not hand to any server, say "cannot be
// reached"). The hexadecimal code in
// parentheses is Exchange's own error code (see exchange2003Codes).

// exchange2003Codes maps Exchange's MSEXCH error codes to the reason they
// name. The codes are Exchange's internal MAPI/IMS error numbers, listed in
// Microsoft KB 284204 and in Sisimai's Exchange2003 module; only codes whose
// meaning is unambiguous are given a reason.
var exchange2003Codes = map[string]string{
	"000C05A6": "user_unknown",   // Unknown Recipient
	"00120270": "network_error",  // Too Many Hops (a mail loop)
	"00050311": "content_error",  // Conversion to Internet format failed
	"000502CC": "content_error",  // Conversion to Internet format failed
	"000B0981": "security_error", // 502 Server does not support AUTH
	"00010256": "system_error",   // Too many recipients
	"000D06B5": "system_error",   // No proxy for recipient
}

func matchExchange2003(m *message) bool {
	xm := toLower(m.getField("x-mailer"))
	if contains(xm, "internet mail service") || contains(xm, "microsoft exchange server internet mail connector") {
		return true
	}
	if m.hasField("x-ms-embedded-report") {
		return true
	}
	// Exchange names its non-delivery reports "Undeliverable: SUBJECT";
	// decode checks the notice's own wording.
	return strings.HasPrefix(m.lowerSubject(), "undeliverable:")
}

func decodeExchange2003(m *message) *Report {
	text := m.notice()
	lower := m.lowerNotice()
	start := -1
	for _, mk := range []string{"did not reach the following recipient(s):", "the following recipient(s) could not be reached:",
		"the following recipient(s) cannot be reached:", "did not reach the following recipient"} {
		if i := strings.Index(lower, mk); i >= 0 {
			start = i + len(mk)
			break
		}
	}
	if start < 0 {
		return nil
	}
	rep := &Report{Kind: KindBounce, Format: "exchange2003"}
	names := originalNames(m)
	var cur *Recipient
	var diag []string
	flush := func() {
		if cur == nil {
			return
		}
		d := strings.Join(diag, " ")
		cur.Diagnostic = oneLine(d)
		if code := exchangeErrorCode(d); code != "" {
			cur.ReasonHint = exchange2003Codes[code]
		}
		fillCodes(cur)
		rep.Recipients = append(rep.Recipients, *cur)
		cur, diag = nil, nil
	}
	inMTSID := false
	lines := trimmedLines(text[start:])
	for k, line := range lines {
		t := strings.TrimSpace(line)
		if k+1 < len(lines) && !contains(t, " on ") && strings.HasSuffix(t, ">") {
			// A recipient line folded before its date (a relay's
			// re-wrapping: "Name <addr>" / "    on 3/10/2026 9:12 AM"),
			// read whole; the date line then reads as nothing.
			if n := strings.TrimSpace(lines[k+1]); strings.HasPrefix(n, "on ") && indentOf(lines[k+1]) > indentOf(line) {
				if a := exchange2003Recipient(t+" "+n, names); a != "" {
					flush()
					cur = &Recipient{Address: a, Action: "failed"}
					inMTSID = false
					lines[k+1] = ""
					continue
				}
			}
		}
		if t == "" {
			if cur != nil && len(diag) > 0 {
				flush()
			}
			continue
		}
		// A recipient line: "addr on DATE" (QUIRK: the Internet Mail
		// Connector indents it like the lines about it).
		if a := exchange2003Recipient(t, names); a != "" {
			flush()
			cur = &Recipient{Address: a, Action: "failed"}
			inMTSID = false
			continue
		}
		if cur == nil {
			continue
		}
		lt := toLower(t)
		if strings.HasPrefix(lt, "the mts-id of the original message is:") {
			inMTSID = true // QUIRK: the X.400 MTS-ID wraps onto a line starting ";"
			continue
		}
		if inMTSID && (strings.HasPrefix(t, ";") || contains(t, ";l=")) {
			continue
		}
		inMTSID = false
		diag = append(diag, t)
	}
	flush()
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}

// exchange2003Recipient returns the address of a recipient line of an
// Exchange 2003 notice ("kijitora@example.jp on Thu, 29 Apr 2010 ..."),
// or "". QUIRK: Exchange 2000 and 2003 name a recipient of their own
// directory by its display name ("Jana Novak on 5/14/2004 10:01 AM");
// names maps the display names of the original's To and Cc to their
// addresses.
func exchange2003Recipient(t string, names map[string]string) string {
	i := strings.Index(t, " on ")
	if i <= 0 {
		return ""
	}
	if a := bareAddress(t[:i]); a != "" {
		return a
	}
	// Exchange 2003 may write the display name with the address
	// ("Hanna Berg <hanna.berg@example.org> on 5/14/2004 10:01 AM").
	if h := strings.TrimSpace(t[:i]); strings.HasSuffix(h, ">") {
		if j := strings.LastIndexByte(h, '<'); j >= 0 {
			if a := bareAddress(h[j+1 : len(h)-1]); a != "" {
				return a
			}
		}
	}
	if a := names[toLower(strings.Trim(strings.TrimSpace(t[:i]), "\"'"))]; a != "" {
		return a
	}
	if n := bareName(t[:i]); n != "" && !contains(n, " ") && strings.ContainsAny(t[i:], "0123456789") {
		// A directory alias ("TNGUYEN on 5/17/2002 10:01 AM"): kept
		// bare, for resolveBare to place by the returned message.
		return n
	}
	return ""
}

// originalNames maps the lower-case display names of the original
// message's To and Cc to their addresses.
func originalNames(m *message) map[string]string {
	o := m.original()
	list := o.To
	if cc := o.Get("cc"); cc != "" {
		list += ", " + cc
	}
	if !strings.ContainsAny(list, "\"<") {
		return nil
	}
	as, _ := mail.ParseAddressList(list)
	out := map[string]string{}
	for _, a := range as {
		if a.Name != "" {
			if addr := normalizeAddress(a.Address); addr != "" {
				out[toLower(a.Name)] = addr
			}
		}
	}
	return out
}

// exchangeErrorCode returns the 8-digit hexadecimal code in parentheses
// of an MSEXCH line ("... 0 (000C05A6) Unknown Recipient"), upper-cased,
// or "".
func exchangeErrorCode(s string) string {
	for i := strings.IndexByte(s, '('); i >= 0 && i+9 < len(s); {
		if s[i+9] == ')' {
			c := s[i+1 : i+9]
			ok := true
			for j := 0; j < len(c); j++ {
				if !mime.IsHex(c[j]) {
					ok = false
					break
				}
			}
			if ok {
				return strings.ToUpper(c)
			}
		}
		n := strings.IndexByte(s[i+1:], '(')
		if n < 0 {
			break
		}
		i += n + 1
	}
	return ""
}
