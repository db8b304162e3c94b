package decoders

import (
	"strings"

	"github.com/bounced-dev/bounced/bounce/internal/mime"
)

// Microsoft Exchange Server 2007 and later (2010, 2013, 2016, 2019)
// non-delivery reports.
//
// Exchange writes a multipart/report whose notice is a
// multipart/alternative with the Exchange-specific "differences"
// parameter, in the sender's language (Content-Language), usually with a
// message/delivery-status part. Its plain-text notice ends with a section
// for administrators that is the most precise part of the report:
//
//	Diagnostic information for administrators:
//
//	Generating server: mta4.example.org
//
//	mikeneko@example.co.jp
//	#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
//
// (Exchange 2007/2010), or, from Exchange 2013 on,
//
//	kijitora@example.jp
//	Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'
//
// optionally preceded by the remote host's name on its own line, or a
// list of attempts "DATE - Server at HOST (IP) returned '...'". The
// section's headings are translated ("Informazioni di diagnostica per gli
// amministratori", "Server di generazione"); the address lines and the
// quoted replies are not, and the parser relies on those.

func matchExchange2007(m *message) bool {
	if m.hasField("x-ms-exchange-message-is-ndr") {
		return true
	}
	if !strings.HasPrefix(m.root.MediaType, "multipart/report") {
		return false
	}
	// QUIRK: Exchange marks the alternative part of its notice with a
	// "differences=Content-Type" parameter no other MTA writes.
	for _, c := range m.root.Children {
		if c.MediaType == "multipart/alternative" && c.Params.Get("differences") != "" {
			return true
		}
	}
	return false
}

// matchExchangeText recognises an Exchange 2007+ NDR that reached us
// without its report structure (no multipart/report, no delivery-status
// part): the subject Exchange gives it ("Undeliverable: SUBJECT") and an
// administrators' section naming the generating server and, for at least
// one recipient, its reply.
func matchExchangeText(m *message) bool {
	if strings.HasPrefix(m.root.MediaType, "multipart/report") || !strings.HasPrefix(m.lowerSubject(), "undeliverable:") {
		return false
	}
	generating, diags := parseExchangeDiagnostics(m.notice())
	return generating != "" && len(diags) > 0
}

func decodeExchange2007(m *message) *Report {
	return decodeExchangeNDR(m, "exchange2007")
}

// exchangeDiag is what the administrators' section of an Exchange NDR
// says about one recipient.
type exchangeDiag struct {
	addr   string
	reply  string // the server's reply, codes first
	remote string // the host that refused, when named
}

// decodeExchangeNDR reads an Exchange 2007+ or Office 365 NDR: the
// delivery-status part when there is one, completed (diagnostic, remote
// host, reporting host) from the administrators' section of the notice;
// that section alone otherwise.
func decodeExchangeNDR(m *message, format string) *Report {
	// a reply a relay folded ("Remote Server returned '550 ... Client" /
	// "    host [192.0.2.1] blocked ...'") read from its one line
	text := unfoldWrapped(m.notice())
	generating, diags := parseExchangeDiagnostics(text)
	var rep *Report
	if p := m.dsnPart(); p != nil {
		rep = &Report{Kind: KindBounce, Format: format}
		rep.ReportingMTA, rep.Recipients = dsnOf(m)
		if len(rep.Recipients) == 0 {
			rep = nil
		}
	}
	if rep == nil {
		if len(diags) == 0 {
			return nil
		}
		rep = &Report{Kind: KindBounce, Format: format}
		for _, d := range diags {
			r := Recipient{Address: d.addr, Action: "failed", RemoteMTA: d.remote}
			setReply(&r, d.reply)
			if strings.HasPrefix(r.Status, "4") || strings.HasPrefix(r.ReplyCode, "4") {
				r.Action = "delayed"
			}
			rep.Recipients = append(rep.Recipients, r)
		}
	} else {
		for i := range rep.Recipients {
			r := &rep.Recipients[i]
			for _, d := range diags {
				if !strings.EqualFold(d.addr, r.Address) {
					continue
				}
				if r.RemoteMTA == "" {
					r.RemoteMTA = d.remote
				}
				if d.reply != "" && (r.Diagnostic == "" || len(r.Diagnostic) < len(d.reply) && contains(d.reply, r.Diagnostic)) {
					setReply(r, d.reply)
				}
				break
			}
		}
		// Exchange Online's newer administrators' section ("Error
		// Details", "Reported error: 550 5.1.10 ...") gives the one
		// recipient's reply when the delivery-status part has none.
		if len(rep.Recipients) == 1 && rep.Recipients[0].Diagnostic == "" {
			if reply := reportedError(text); reply != "" {
				setReply(&rep.Recipients[0], reply)
			}
		}
		// Recipients the administrators' section does not cover get the
		// notice's words about them.
		enrichFromText(rep.Recipients, text)
	}
	if rep.ReportingMTA == "" {
		rep.ReportingMTA = generating
	}
	return rep
}

// reportedError is the reply on the one "Reported error:" line of
// Exchange Online's administrators' section, or "" (none, or several).
func reportedError(text string) string {
	reply := ""
	for l := range lineSeq(text) {
		t := strings.TrimSpace(l)
		if len(t) > len("reported error:") && strings.EqualFold(t[:len("reported error:")], "reported error:") {
			if reply != "" {
				return ""
			}
			reply = strings.TrimSpace(t[len("reported error:"):])
		}
	}
	if leadingReplyCode(reply) == "" && replyStatus(reply) == "" {
		return ""
	}
	return reply
}

// parseExchangeDiagnostics reads the administrators' section of an
// Exchange NDR's plain-text notice: the generating server and, for each
// recipient line (an address alone on a line), the reply below it.
func parseExchangeDiagnostics(text string) (string, []exchangeDiag) {
	if !containsFold(text, "returned '") && !contains(text, "##") {
		return "", nil
	}
	var generating string
	var skipHosts []string
	var out []exchangeDiag
	var cur *exchangeDiag
	var pendingHost string
	for _, line := range trimmedLines(text) {
		t := strings.TrimSpace(line)
		if t == "" {
			pendingHost = ""
			continue
		}
		// "Generating server: HOST", "Receiving server: HOST" and their
		// translations: a heading, a colon, one host name.
		// The generating server is Exchange itself; a receiving server
		// may be the remote host, so only the first is skipped below.
		if c := strings.LastIndex(t, ": "); c > 0 && (cur == nil || hasSuffixFold(t[:c], "server")) {
			if f := strings.Fields(t[c+2:]); len(f) > 0 && looksLikeHost(f[0]) {
				if generating == "" {
					generating = f[0]
					skipHosts = append(skipHosts, toLower(f[0]))
				}
				continue
			}
		}
		if a := bareAddress(t); a != "" && !contains(t, "<mailto:") {
			out = append(out, exchangeDiag{addr: a})
			cur = &out[len(out)-1]
			pendingHost = ""
			continue
		}
		if cur == nil {
			continue
		}
		switch {
		case strings.HasPrefix(t, "#") && contains(t[1:], "#"):
			// Exchange 2007/2010: "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##"
			if cur.reply == "" {
				r := strings.TrimPrefix(t, "#")
				if i := strings.Index(r, "##"); i >= 0 {
					r = r[:i]
				}
				cur.reply = strings.TrimSpace(r)
				if cur.remote == "" && pendingHost != "" {
					cur.remote = pendingHost
				}
			}
		case exchangeHostReply(t) != "":
			// Exchange 2010, a remote host's refusal: the host, then the
			// reply between "#" and "##" on the same line, as in the NDR
			// https://markgossa.com/2015/09/451-440-dns-query-failed-error-was.html
			// quotes ("smtp04.domain.com #550-The domain in the email
			// address ... does not 550 exist. Sorry. ##").
			if cur.reply == "" {
				host := strings.Fields(t)[0]
				if cur.remote == "" && !exchangeInternalHost(host, skipHosts) {
					cur.remote = host
				}
				cur.reply = exchangeHostReply(t)
			}
		case containsFold(t, "returned '"):
			i := mime.IndexFold(t, "returned '")
			r := t[i+len("returned '"):]
			if j := strings.LastIndexByte(r, '\''); j >= 0 {
				r = r[:j]
			}
			host := ""
			if k := mime.IndexFold(t[:i], "server at "); k >= 0 {
				host = strings.Fields(t[k+len("server at "):])[0]
			} else if pendingHost != "" {
				host = pendingHost
			}
			if host != "" && !exchangeInternalHost(host, skipHosts) && cur.remote == "" {
				cur.remote = host
			}
			if cur.reply == "" {
				cur.reply = strings.TrimSpace(r)
			}
		case looksLikeHost(t):
			// QUIRK: Office 365 names the remote host alone on the line
			// before "Remote Server returned '...'".
			pendingHost = t
		}
	}
	kept := out[:0]
	for _, d := range out {
		if d.reply != "" {
			kept = append(kept, d)
		}
	}
	return generating, kept
}

// exchangeHostReply returns the reply of an administrators' line "HOST
// #REPLY ##", or "".
func exchangeHostReply(t string) string {
	sp := strings.IndexByte(t, ' ')
	if sp <= 0 || !looksLikeHost(t[:sp]) {
		return ""
	}
	r := strings.TrimSpace(t[sp+1:])
	if !strings.HasPrefix(r, "#") || !strings.HasSuffix(r, "##") || len(r) < 4 {
		return ""
	}
	r = strings.TrimSpace(strings.TrimSuffix(r[1:], "##"))
	if leadingReplyCode(r) == "" && replyStatus(r) == "" {
		return ""
	}
	return r
}

// looksLikeHost reports whether s is a lone host name: dotted, no white
// space, letters, digits, '-' and '.' only.
func looksLikeHost(s string) bool {
	if len(s) < 4 || !contains(s, ".") || strings.HasSuffix(s, ".") && len(s) < 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigit(c) || isAlpha(c) || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return isAlpha(s[len(s)-1]) || s[len(s)-1] == '.'
}

// exchangeInternalHost reports whether host is one of Exchange's own
// (the generating or receiving server, or an Exchange Online front end)
// rather than the remote host that refused the message.
func exchangeInternalHost(host string, own []string) bool {
	h := toLower(strings.TrimSuffix(host, "."))
	for _, o := range own {
		if h == o {
			return true
		}
	}
	return hostIs(h, "protection.outlook.com") || hostIs(h, "prod.outlook.com")
}
