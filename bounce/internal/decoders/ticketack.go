package decoders

import "strings"

// Help-desk systems answer a message that opens a ticket with an
// acknowledgement: Request Tracker's AutoReply template ("This message has
// been automatically generated in response to the creation of a trouble
// ticket regarding: ..., Your ticket has been assigned an ID of [HOST #N]"),
// osTicket's New Ticket Autoresponse ("Autoresponse includes the ticket ID
// required to check status of the ticket"), OTRS's and Znuny's auto
// responses (sent with "X-OTRS-Loop: ADDRESS" and "Precedence: bulk",
// Kernel::System::Email), Zendesk's, Freshdesk's, Jira Service
// Management's and Help Scout's. Many carry no RFC 3834 "auto-replied" (a
// Precedence, an X-Auto-Response-Suppress, an "auto-generated", or no mark
// at all), so decodeAutoReply does not see them. The message was
// delivered and answered: an automatic reply, never a failure.

// ticketAckWords say that a help desk received a message and opened a
// ticket for it, lower-case, in the wordings of the systems above and
// their translations (the eighteenth round of testdata/unseen; the texts
// other than Request Tracker's and osTicket's are from memory).
var ticketAckWords = []string{
	"has been received and is being reviewed", "we have received your request", "we've received your request",
	"we received your request", "ticket has been created", "creation of a trouble ticket",
	"your e-mail has been received", "your email has been received", "we have received your message",
	"we have received your e-mail", "we have received your email", "assigned ticket #",
	// German ("Ihre Anfrage (N) ist eingegangen", "Ihre E-Mail ist bei uns
	// eingegangen"), Spanish, Italian, French, Portuguese, Dutch, Japanese.
	"ist eingegangen", "ist bei uns eingegangen",
	"hemos recibido su solicitud", "hemos recibido tu solicitud", "hemos recibido su mensaje",
	"abbiamo ricevuto la sua richiesta", "abbiamo ricevuto la tua richiesta",
	"nous l'avons bien reçu", "nous l’avons bien reçu", "nous avons bien reçu votre",
	"recebemos sua solicitação", "recebemos a sua solicitação",
	"hebben uw verzoek ontvangen", "wij hebben uw bericht ontvangen", "is ontvangen en wordt",
	"を受け付けました", "を受け付けいたしました",
}

// ticketWords name a ticket or a request in a help desk's subject or
// text, lower-case; a number follows them ("Your request (48213)",
// "[Ticket#2026120110000417]", "ticket #612094").
var ticketWords = []string{"ticket", "request", "anfrage", "verzoek", "solicitud", "solicitação", "richiesta", "demande", "お問い合わせ", "リクエスト"}

// ticketNumbered reports whether a lower-case text numbers a ticket: "[#"
// and a digit (Freshdesk's and osTicket's subjects), or a ticket word
// followed within a few bytes ("#", " (", " no. ") by a run of three
// digits or more.
func ticketNumbered(s string) bool {
	if i := strings.Index(s, "[#"); i >= 0 && i+2 < len(s) && isDigit(s[i+2]) {
		return true
	}
	for _, w := range ticketWords {
		for from := 0; ; {
			i := strings.Index(s[from:], w)
			if i < 0 {
				break
			}
			j := from + i + len(w)
			from = j
			end := j + 12
			if end > len(s) {
				end = len(s)
			}
			for k := j; k < end; k++ {
				if isDigit(s[k]) {
					n := k
					for n < len(s) && isDigit(s[n]) {
						n++
					}
					if n-k >= 3 {
						return true
					}
					break
				}
			}
		}
	}
	return false
}

// machineMarked reports whether a header marks a message as written by a
// program: RFC 3834's Auto-Submitted (any value but "no"), a Precedence
// of bulk, junk or auto_reply, Microsoft's X-Auto-Response-Suppress, the
// loop guards of help desks and list robots (X-OTRS-Loop, X-Loop,
// X-RT-Loop-Prevention), or an auto-reply header isAutoReply knows.
func machineMarked(m *message) bool {
	if autoSubmitted(m) || isAutoReply(m.header(), "") {
		return true
	}
	switch toLower(strings.TrimSpace(m.getField("precedence"))) {
	case "bulk", "junk":
		return true
	}
	for _, k := range []string{"x-auto-response-suppress", "x-otrs-loop", "x-loop", "x-rt-loop-prevention"} {
		if m.hasField(k) {
			return true
		}
	}
	return false
}

// matchTicketAck recognises a help desk's acknowledgement: from no mail
// system, with no report part and no returned message, its text saying
// that the message was received and a ticket opened, and a mark that a
// program wrote it (machineMarked) or a ticket number. A failure notice's
// words outside the lines it quotes (a help desk echoes the customer's
// message, which may speak of a parcel "not delivered"), a list's post or administrivia, a read receipt and Sympa's robot
// are left to the decoders of those.
func matchTicketAck(m *message) bool {
	if m.fromBounceSender() || m.dsnPart() != nil || m.hasField("x-failed-recipients") {
		return false
	}
	if m.findPart("message/rfc822", "message/global", "message/disposition-notification", "message/global-disposition-notification") != nil {
		return false
	}
	l := m.lowerNotice()
	if !containsAny(l, ticketAckWords) {
		return false
	}
	if failureNotice(m) && ownWordsFail(m.notice()) || listPost(m) || listAdministrivia(m) || sympaRobot(m) || readReceiptSubject(m.lowerSubject()) {
		return false
	}
	return machineMarked(m) || ticketNumbered(m.lowerSubject()) || ticketNumbered(l)
}

func decodeTicketAck(m *message) *Report {
	return &Report{Kind: KindAutoReply, AutoReplyFrom: firstAddress(m.from)}
}

// ownWordsFail is failureNotice of a text without its quoted ("> ")
// lines: a failure the message says in its own words.
func ownWordsFail(text string) bool {
	var own strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), ">") {
			continue
		}
		own.WriteString(line)
		own.WriteByte('\n')
	}
	t := own.String()
	l := toLower(t)
	if !containsAny(l, notDeliveredWords) {
		return false
	}
	if st := findStatus(t); st != "" && (st[0] == '4' || st[0] == '5') {
		return true
	}
	return containsAny(l, rejectionCauses)
}
