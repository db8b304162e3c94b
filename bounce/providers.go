package bounce

import (
	"strings"

	"github.com/bounced-dev/bounced/internal/smtp"
)

// providerDecoders lists the decoders of large mail providers and sending services (Microsoft, Google, Yahoo, Amazon, ...), in the order they are tried.
//
// Order matters where formats nest: Google Groups and Google Workspace
// bounces come from Gmail's mailer-daemon too, so they are tried before
// Gmail; Office 365 NDRs are a kind of Exchange NDR, so they are tried
// before Exchange 2007, and first of all because tenants relay them
// through other services (Amazon SES); Amazon WorkMail sends through
// Amazon SES, so it is tried before SES.
var providerDecoders = []decoder{
	{name: "office365", match: matchOffice365, decode: decodeOffice365},
	{name: "amazonworkmail", match: matchAmazonWorkMail, decode: decodeAmazonWorkMail},
	{name: "amazonses", match: matchAmazonSES, decode: decodeAmazonSES},
	{name: "receivingses", match: matchReceivingSES, decode: decodeReceivingSES},
	{name: "googlegroups", match: matchGoogleGroups, decode: decodeGoogleGroups},
	{name: "googleworkspace", match: matchGoogleWorkspace, decode: decodeGoogleWorkspace},
	{name: "gmail", match: matchGmail, decode: decodeGmail},
	{name: "exchange2007", match: matchExchange2007, decode: decodeExchange2007},
	{name: "exchange2003", match: matchExchange2003, decode: decodeExchange2003},
	{name: "outlook", match: matchOutlook, decode: decodeOutlook},
	{name: "yahoo", match: matchYahoo, decode: decodeYahoo},
	{name: "sendgrid", match: matchSendGrid, decode: decodeSendGrid},
}

// decodeDSNAs reads the message's delivery-status part like the generic
// RFC 3464 decoder, under the name of a provider's format. It returns nil
// when there is no delivery-status part or it names no recipient.
func decodeDSNAs(m *message, format string) *Report {
	rep := decodeRFC3464(m)
	if rep == nil {
		return nil
	}
	rep.Format = format
	return rep
}

// fromAddress returns the lower-cased address of the bounce's From header.
func fromAddress(m *message) string {
	return strings.ToLower(firstAddress(m.from))
}

// hostIs reports whether host equals domain or is below it.
func hostIs(host, domain string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// anyReceivedBy reports whether a Received header of the bounce names a
// host below domain as the receiving ("by") host.
func anyReceivedBy(m *message, domain string) bool {
	for _, v := range m.header().values("received") {
		lv := strings.ToLower(v)
		i := strings.Index(lv, " by ")
		if i < 0 {
			if !strings.HasPrefix(lv, "by ") {
				continue
			}
			i = -1
		}
		rest := strings.TrimSpace(lv[i+4:])
		if sp := strings.IndexAny(rest, " \t\n;("); sp >= 0 {
			rest = rest[:sp]
		}
		if hostIs(rest, domain) {
			return true
		}
	}
	return false
}

// replyOf splits a server reply such as "550 5.1.1 <a@b>... User Unknown"
// into a recipient's ReplyCode, Status and Diagnostic, keeping codes the
// recipient already has unless they are generic.
func setReply(r *Recipient, reply string) {
	reply = oneLine(reply)
	if reply == "" {
		return
	}
	r.Diagnostic = reply
	if rc := leadingReplyCode(reply); rc != "" {
		r.ReplyCode = rc
	}
	fillCodes(r)
}

// smtpCommandOf maps the names bounces give to SMTP stages ("RCPT_TO",
// "MAIL FROM", "end of data", "connect") to Recipient.Command values.
func smtpCommandOf(s string) string { return string(smtp.ParseCommand(s)) }

// linesOf splits text into lines without their trailing white space.
func linesOf(text string) []string {
	ls := strings.Split(text, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimRight(l, " \t\r")
	}
	return ls
}

// bareAddress returns the address a line consists of ("a@b", "<a@b>",
// "a@b:"), or "" when the line says anything else.
func bareAddress(line string) string {
	t := strings.Trim(strings.TrimSpace(line), "<>:;,\"'")
	if t == "" || strings.ContainsAny(t, " \t<>") || !strings.Contains(t, "@") {
		return ""
	}
	return normalizeAddress(t)
}
