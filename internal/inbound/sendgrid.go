package inbound

// SendGrid's Event Webhook with signed events ("Getting Started with the
// Event Webhook Security Features", docs.sendgrid.com/for-developers/
// tracking-events/getting-started-event-webhook-security-features): the
// body is a JSON array of events; X-Twilio-Email-Event-Webhook-Signature
// is the base64 ECDSA (P-256, SHA-256, ASN.1 DER) signature of the
// X-Twilio-Email-Event-Webhook-Timestamp header followed by the raw body,
// verified with the account's public key (base64 DER, SubjectPublicKeyInfo).
// Event fields are from "Event Webhook Reference" (docs.sendgrid.com/
// for-developers/tracking-events/event): email, timestamp, event,
// sg_event_id, sg_message_id, smtp-id, reason, status, type (bounce or
// blocked), response.

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/pipeline"
)

// SendGridOptions configure the SendGrid webhook.
type SendGridOptions struct {
	// PublicKey is the verification key of the signed Event Webhook, as
	// SendGrid shows it: base64 of the DER public key.
	PublicKey string
}

// The headers of a signed SendGrid event post.
const (
	sendGridSignature = "X-Twilio-Email-Event-Webhook-Signature"
	sendGridTimestamp = "X-Twilio-Email-Event-Webhook-Timestamp"
)

type sendGrid struct{ key *ecdsa.PublicKey }

func newSendGrid(o SendGridOptions) (*sendGrid, error) {
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(o.PublicKey))
	if err != nil {
		return nil, fmt.Errorf("inbound: sendgrid: public_key is not base64: %w", err)
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("inbound: sendgrid: public_key: %w", err)
	}
	ek, ok := k.(*ecdsa.PublicKey)
	if !ok {
		return nil, errors.New("inbound: sendgrid: public_key is not an ECDSA key")
	}
	return &sendGrid{key: ek}, nil
}

type sendGridEvent struct {
	Email     string `json:"email"`
	Timestamp int64  `json:"timestamp"`
	Event     string `json:"event"`
	EventID   string `json:"sg_event_id"`
	MessageID string `json:"sg_message_id"`
	SMTPID    string `json:"smtp-id"`
	Reason    string `json:"reason"`
	Status    string `json:"status"`
	Type      string `json:"type"`
	Response  string `json:"response"`
	Attempt   string `json:"attempt"`
	Class     string `json:"bounce_classification"`
}

// sendGridIgnored are the engagement and processing events of the Event
// Webhook: known, and nothing for the suppression list.
var sendGridIgnored = map[string]bool{
	"processed": true, "open": true, "click": true, "unsubscribe": true,
	"group_unsubscribe": true, "group_resubscribe": true,
}

// sendGridClass maps SendGrid's bounce_classification ("Bounce
// Classifications", docs.sendgrid.com/ui/sending-email/bounce-classification-reference)
// to a reason hint; the classifier's rules still read the words first.
var sendGridClass = map[string]classify.Reason{
	"Invalid Address":     classify.UserUnknown,
	"Mailbox Unavailable": classify.MailboxFull,
	"Reputation":          classify.BadReputation,
	"Content":             classify.ContentError,
	"Frequency or Volume": classify.RateLimited,
	"Technical":           classify.SystemError,
}

func (s *sendGrid) parse(r *http.Request, body []byte) ([]pipeline.External, func(), error) {
	sig, err := base64.StdEncoding.DecodeString(r.Header.Get(sendGridSignature))
	ts := r.Header.Get(sendGridTimestamp)
	if err != nil || len(sig) == 0 || ts == "" {
		return nil, nil, fmt.Errorf("%w: sendgrid: no signature or timestamp", ErrSignature)
	}
	d := sha256.Sum256(append([]byte(ts), body...))
	if !ecdsa.VerifyASN1(s.key, d[:], sig) {
		return nil, nil, fmt.Errorf("%w: sendgrid: signature does not verify", ErrSignature)
	}
	var evs []sendGridEvent
	if err := json.Unmarshal(body, &evs); err != nil {
		return nil, nil, fmt.Errorf("%w: sendgrid: %w", ErrMalformed, err)
	}
	var xs []pipeline.External
	for i, e := range evs {
		ev := eventKind(e.Event)
		if sendGridIgnored[ev] {
			continue
		}
		if e.EventID == "" || e.Email == "" {
			return nil, nil, fmt.Errorf("%w: sendgrid: event %d has no sg_event_id or email", ErrMalformed, i)
		}
		x := pipeline.External{Provider: "sendgrid", EventID: e.EventID, Recipient: e.Email,
			OriginalMessageID: strings.Trim(e.SMTPID, " "), Diagnostic: e.Reason, Status: e.Status}
		if e.Timestamp > 0 {
			x.At = time.Unix(e.Timestamp, 0)
		}
		switch ev {
		case "bounce":
			x.Kind = bounce.KindBounce
			x.Hint = string(sendGridClass[e.Class])
			if eventKind(e.Type) == "blocked" && x.Hint == "" {
				// "blocked": the receiving server refused the message for
				// now (a block list, reputation); SendGrid's own words.
				x.Hint = string(classify.Blocked)
			}
		case "dropped":
			switch e.Reason {
			case "Spam Reporting Address":
				x.Kind = bounce.KindComplaint
			case "Unsubscribed Address", "Unsubscribed Group":
				continue // the sender's own list, not a delivery failure
			default:
				// SendGrid did not send: the address is on its own bounce
				// or invalid list. A soft reason: counted, never alone hard.
				x.Kind = bounce.KindBounce
				x.Hint = string(classify.Suppressed)
			}
		case "deferred":
			x.Kind = bounce.KindDelay
			x.Diagnostic = e.Response
		case "spamreport":
			x.Kind = bounce.KindComplaint
		case "delivered":
			x.Kind = bounce.KindDelivered
			x.Diagnostic = e.Response
		default:
			return nil, nil, fmt.Errorf("%w: sendgrid event %q", ErrUnknownEvent, e.Event)
		}
		reply, status, text := diagnostic(x.Diagnostic)
		x.ReplyCode, x.Diagnostic = reply, text
		if x.Status == "" {
			x.Status = status
		}
		xs = append(xs, x)
	}
	return xs, nil, nil
}
