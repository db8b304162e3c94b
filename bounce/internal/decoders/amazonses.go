package decoders

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Amazon Simple Email Service (SES) bounces and notifications.
//
// SES reports in two ways:
//
//   - As a mail system: an RFC 3464 report from MAILER-DAEMON@amazonses.com
//     (or a regional host below it). Before about 2014 its Diagnostic-Code
//     wrapped the remote reply in SES's own words: "5.1.0 - Unknown address
//     error 550-'5.7.1 <...>... Access denied' (delivery attempts: 0)".
//   - As JSON notifications (Bounce, Complaint, Delivery) delivered by email
//     through Amazon SNS ("AWS Notification Message" from
//     no-reply@sns.amazonaws.com): the SNS envelope's "Message" holds the
//     SES notification as a JSON string, or the body is the SES
//     notification itself. See
//     https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
//
// A Bounce notification lists bouncedRecipients with action, status and
// diagnosticCode; a Complaint lists complainedRecipients (kind
// complaint); a Delivery lists the recipients delivered to (kind
// delivered).

func matchAmazonSES(m *message) bool {
	if m.hasField("x-amz-sns-message-id") {
		return true
	}
	d := domainOf(fromAddress(m))
	return hostIs(d, "amazonses.com") || hostIs(d, "sns.amazonaws.com")
}

func decodeAmazonSES(m *message) *Report {
	body := m.text()
	if contains(body, `"notificationType"`) || contains(body, `"eventType"`) || contains(body, `\"notificationType\"`) || contains(body, `\"eventType\"`) {
		if rep := decodeSESNotification(body); rep != nil {
			return rep
		}
	}
	rep := dsnAs(m, "amazonses")
	if rep == nil {
		return nil
	}
	for i := range rep.Recipients {
		sesLegacyDiagnostic(&rep.Recipients[i])
	}
	return rep
}

// sesLegacyDiagnostic unwraps the remote server's reply from the
// Diagnostic-Code of SES's early reports:
// "5.1.0 - Unknown address error 550-'5.7.1 <a@b>... Access denied' (delivery attempts: 0)".
// SES's own status (5.1.0) stays only when the reply has none.
func sesLegacyDiagnostic(r *Recipient) {
	d := r.Diagnostic
	if len(d) < 8 || findStatus(d[:min(len(d), 8)]) == "" || !contains(d, " - ") {
		return
	}
	open := strings.IndexByte(d, '\'')
	close := strings.LastIndexByte(d, '\'')
	if open < 0 || close <= open {
		return
	}
	sesStatus := findStatus(d[:strings.Index(d, " - ")])
	inner := strings.TrimSpace(d[open+1 : close])
	before := strings.TrimRight(d[:open], "- ")
	code := ""
	if len(before) >= 3 {
		code = leadingReplyCode(before[len(before)-3:])
	}
	if code != "" && leadingReplyCode(inner) == "" {
		inner = code + " " + inner
	}
	r.Diagnostic = inner
	r.ReplyCode = ""
	st := findStatus(inner)
	switch {
	case st != "":
		r.Status = st
	case sesStatus != "":
		r.Status = sesStatus
	}
	fillCodes(r)
}

// readSESNotification reads the SES notification of body: the first
// JSON object in it, or the notification an SNS envelope of that object
// holds as its "Message" string; ok is false when there is none.
//
// The object is read once, into the envelope's fields and the
// notification's together, and the envelope's message once: what
// readSESNotificationSlow does, reading the object three times, with
// the same result (FuzzReadSESNotification). An object that does not
// fit those fields (a type error) is left to readSESNotificationSlow,
// which tells which of them it does not fit.
func readSESNotification(body string) (n sesNotification, ok bool) {
	raw := sesJSON(body)
	start := bytes.IndexByte(raw, '{')
	if start < 0 {
		return n, false
	}
	var both struct {
		Type    string `json:"Type"`
		Message string `json:"Message"`
		sesNotification
	}
	dec := json.NewDecoder(bytes.NewReader(raw[start:]))
	if err := dec.Decode(&both); err != nil {
		return readSESNotificationSlow(raw[start:])
	}
	if both.Message == "" {
		return both.sesNotification, true
	}
	// json.Unmarshal of the message, which checks it whole before
	// decoding it: decoded once, then its end checked.
	msg := []byte(both.Message)
	inner := json.NewDecoder(bytes.NewReader(msg))
	if err := inner.Decode(&n); err != nil {
		return sesNotification{}, false
	}
	for _, c := range msg[inner.InputOffset():] {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return sesNotification{}, false // json.Unmarshal refuses what follows the value
		}
	}
	return n, true
}

// sesJSON returns body without the line breaks relays put in its JSON.
// QUIRK: mail relays split the one-line JSON at their line-length limit
// with "!\n " (sendmail's convention); JSON never contains a raw line
// break inside a string, so the sequence can only be that.
func sesJSON(body string) []byte {
	return bytes.ReplaceAll([]byte(body), []byte("!\n "), nil)
}

// readSESNotificationSlow is readSESNotification for raw, from its
// first '{': the first JSON value read, then read as an SNS envelope,
// then, unless that holds a message, as the notification itself.
func readSESNotificationSlow(raw []byte) (n sesNotification, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var env struct {
		Type    string `json:"Type"`
		Message string `json:"Message"`
	}
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return n, false
	}
	if err := json.Unmarshal(first, &env); err == nil && env.Message != "" {
		if err := json.Unmarshal([]byte(env.Message), &n); err != nil {
			return sesNotification{}, false
		}
	} else if err := json.Unmarshal(first, &n); err != nil {
		return sesNotification{}, false
	}
	return n, true
}

// sesNotification is the part of an SES notification (or event) the
// decoder reads.
type sesNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Bounce           *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		ReportingMTA      string `json:"reportingMTA"`
		RemoteMtaIP       string `json:"remoteMtaIp"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Action         string `json:"action"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
		ComplaintSubType      string `json:"complaintSubType"`
		UserAgent             string `json:"userAgent"`
		ComplainedRecipients  []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
	} `json:"complaint"`
	DeliveryDelay *struct {
		DelayType         string `json:"delayType"`
		ReportingMTA      string `json:"reportingMTA"`
		DelayedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"delayedRecipients"`
	} `json:"deliveryDelay"`
	Delivery *struct {
		Recipients   []string `json:"recipients"`
		SMTPResponse string   `json:"smtpResponse"`
		ReportingMTA string   `json:"reportingMTA"`
		RemoteMtaIP  string   `json:"remoteMtaIp"`
	} `json:"delivery"`
	Mail struct {
		MessageID     string `json:"messageId"`
		Source        string `json:"source"`
		CommonHeaders struct {
			MessageID string `json:"messageId"`
			Subject   string `json:"subject"`
		} `json:"commonHeaders"`
	} `json:"mail"`
}

// sesDelayTypes maps the delayType of an SES DeliveryDelay event that
// states a cause to a reason (event-publishing-retrieving-sns-contents:
// "when the recipient's inbox is full, or when the receiving email server
// experiences a transient issue").
var sesDelayTypes = map[string]string{
	"MailboxFull": "mailbox_full",
}

// sesSubTypes maps SES bounce subtypes that state a cause to a reason.
// https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html#bounce-types
var sesSubTypes = map[string]string{
	"Suppressed":               "suppressed",
	"OnAccountSuppressionList": "suppressed",
	"NoEmail":                  "user_unknown",
	"MailboxFull":              "mailbox_full",
	"MessageTooLarge":          "message_too_big",
	"ContentRejected":          "content_error",
	"AttachmentRejected":       "content_error",
}

// decodeSESNotification reads an SES notification, bare or inside an SNS
// envelope, or returns nil.
func decodeSESNotification(body string) *Report {
	n, ok := readSESNotification(body)
	if !ok {
		return nil
	}
	typ := n.NotificationType
	if typ == "" {
		typ = n.EventType
	}
	rep := &Report{Format: "amazonses"}
	rep.Original.MessageID = strings.Trim(n.Mail.CommonHeaders.MessageID, "<> ")
	if rep.Original.MessageID == "" {
		rep.Original.MessageID = n.Mail.MessageID
	}
	rep.Original.From = normalizeAddress(n.Mail.Source)
	rep.Original.Subject = n.Mail.CommonHeaders.Subject
	switch toLower(typ) {
	case "bounce":
		if n.Bounce == nil {
			return nil
		}
		rep.Kind = KindBounce
		rep.ReportingMTA = hostOf(n.Bounce.ReportingMTA)
		for _, b := range n.Bounce.BouncedRecipients {
			r := Recipient{Address: b.EmailAddress, Action: b.Action, Status: findStatus(b.Status), RemoteMTA: n.Bounce.RemoteMtaIP}
			if r.Action == "" {
				r.Action = "failed"
			}
			setSESDiagnostic(&r, b.DiagnosticCode, strings.TrimSpace(n.Bounce.BounceType+" "+n.Bounce.BounceSubType))
			r.ReasonHint = sesSubTypes[n.Bounce.BounceSubType]
			fillCodes(&r)
			rep.Recipients = append(rep.Recipients, r)
		}
	case "deliverydelay":
		// An event-publishing DeliveryDelay: SES keeps trying each
		// delayed recipient until the event's expirationTime.
		if n.DeliveryDelay == nil {
			return nil
		}
		rep.Kind = KindDelay
		rep.ReportingMTA = hostOf(n.DeliveryDelay.ReportingMTA)
		for _, d := range n.DeliveryDelay.DelayedRecipients {
			r := Recipient{Address: d.EmailAddress, Action: "delayed", Status: findStatus(d.Status)}
			setSESDiagnostic(&r, d.DiagnosticCode, n.DeliveryDelay.DelayType)
			r.ReasonHint = sesDelayTypes[n.DeliveryDelay.DelayType]
			fillCodes(&r)
			rep.Recipients = append(rep.Recipients, r)
		}
	case "complaint":
		if n.Complaint == nil {
			return nil
		}
		rep.Kind = KindComplaint
		ft := toLower(n.Complaint.ComplaintFeedbackType)
		if ft == "" {
			ft = "abuse"
		}
		for _, c := range n.Complaint.ComplainedRecipients {
			rep.Recipients = append(rep.Recipients, Recipient{Address: c.EmailAddress, FeedbackType: ft,
				ReasonHint: "complaint", Diagnostic: oneLine(n.Complaint.UserAgent)})
		}
	case "delivery":
		if n.Delivery == nil {
			return nil
		}
		rep.Kind = KindDelivered
		rep.ReportingMTA = hostOf(n.Delivery.ReportingMTA)
		for _, a := range n.Delivery.Recipients {
			r := Recipient{Address: a, Action: "delivered", RemoteMTA: n.Delivery.RemoteMtaIP}
			setReply(&r, n.Delivery.SMTPResponse)
			rep.Recipients = append(rep.Recipients, r)
		}
	default:
		return nil
	}
	if len(rep.Recipients) == 0 {
		return nil
	}
	return rep
}

// setSESDiagnostic sets r's diagnostic from an SES event's diagnosticCode
// ("smtp; 550 5.1.1 ...": its type before the ";"), or def when the event
// gives none.
func setSESDiagnostic(r *Recipient, diag, def string) {
	if i := strings.IndexByte(diag, ';'); i > 0 && i < 12 && !strings.ContainsAny(diag[:i], " \t") {
		r.DiagnosticType = toLower(diag[:i])
		diag = diag[i+1:]
	}
	r.Diagnostic = oneLine(diag)
	if r.Diagnostic == "" {
		r.Diagnostic = def
	}
}
