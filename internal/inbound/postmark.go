package inbound

// Postmark's bounce, spam-complaint and delivery webhooks ("Bounce
// webhook", "Spam complaint webhook", "Delivery webhook",
// postmarkapp.com/developer/webhooks): a JSON object with RecordType
// (Bounce, SpamComplaint, Delivery, ...), and for bounces Type, TypeCode,
// ID, MessageID, Email, Details, Description, BouncedAt. Postmark does not
// sign its webhooks: it is authenticated with HTTP basic auth in the
// webhook URL (https://user:pass@host/webhooks/postmark) or with a secret
// in the path (/webhooks/postmark/{secret}), or both. The bounce types are
// those of "Bounce API: bounce types" (postmarkapp.com/developer/api/
// bounce-api#bounce-types).

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/pipeline"
)

// PostmarkOptions configure the Postmark webhook. Every credential that
// is set must be presented.
type PostmarkOptions struct {
	// Username and Password are the basic-auth credentials of the
	// webhook URL.
	Username, Password string
	// SecretPath is the secret path segment: the webhook URL is then
	// /webhooks/postmark/{SecretPath}.
	SecretPath string
}

type postmark struct{ o PostmarkOptions }

func newPostmark(o PostmarkOptions) (*postmark, error) {
	if o.SecretPath == "" && (o.Username == "" || o.Password == "") {
		return nil, errors.New("inbound: postmark: set username and password, or secret_path")
	}
	return &postmark{o: o}, nil
}

// postmarkType is what one bounce Type means here: the kind, the reason
// hint, or ignore for the types that say nothing about the address's
// deliverability.
type postmarkType struct {
	kind   bounce.Kind
	hint   classify.Reason
	ignore bool
}

// postmarkTypes follows Postmark's bounce type table: its description of
// each type decides the kind and hint.
var postmarkTypes = map[string]postmarkType{
	"HardBounce":              {kind: bounce.KindBounce, hint: classify.UserUnknown}, // "unknown user, mailbox not found"
	"BadEmailAddress":         {kind: bounce.KindBounce, hint: classify.UserUnknown}, // "invalid email address"
	"SoftBounce":              {kind: bounce.KindBounce, hint: classify.MailboxFull}, // "mailbox full, account disabled, exceeds quota"
	"Transient":               {kind: bounce.KindDelay},                              // "message is delayed due to network troubles"
	"DnsError":                {kind: bounce.KindDelay},                              // "temporary DNS error"
	"Blocked":                 {kind: bounce.KindBounce, hint: classify.Blocked},     // "ISP block"
	"VirusNotification":       {kind: bounce.KindBounce, hint: classify.VirusDetected},
	"DMARCPolicy":             {kind: bounce.KindBounce, hint: classify.AuthFailure}, // "rejected due to DMARC policy"
	"SpamComplaint":           {kind: bounce.KindComplaint},
	"SpamNotification":        {kind: bounce.KindComplaint},
	"AutoResponder":           {ignore: true},
	"Unsubscribe":             {ignore: true},
	"Subscribe":               {ignore: true},
	"AddressChange":           {ignore: true},
	"OpenRelayTest":           {ignore: true},
	"ChallengeVerification":   {ignore: true},
	"ManuallyDeactivated":     {ignore: true},
	"Unconfirmed":             {ignore: true},
	"SMTPApiError":            {ignore: true},
	"InboundError":            {ignore: true},
	"TemplateRenderingFailed": {ignore: true},
	"Unknown":                 {ignore: true},
}

// postmarkIgnored are the record types of Postmark's other webhooks.
var postmarkIgnored = map[string]bool{"Open": true, "Click": true, "SubscriptionChange": true}

type postmarkBody struct {
	RecordType  string
	ID          json.Number
	Type        string
	TypeCode    json.Number
	MessageID   string
	Email       string
	Recipient   string
	Details     string
	Description string
	BouncedAt   string
	DeliveredAt string
}

func (p *postmark) authorized(r *http.Request) bool {
	eq := func(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
	if p.o.SecretPath != "" && !eq(r.PathValue("secret"), p.o.SecretPath) {
		return false
	}
	if p.o.Username != "" {
		u, pw, ok := r.BasicAuth()
		if !ok || !eq(u, p.o.Username) || !eq(pw, p.o.Password) {
			return false
		}
	}
	return true
}

func (p *postmark) parse(r *http.Request, body []byte) ([]pipeline.External, func(), error) {
	if !p.authorized(r) {
		return nil, nil, fmt.Errorf("%w: postmark: wrong credentials or secret path", ErrSignature)
	}
	var b postmarkBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, nil, fmt.Errorf("%w: postmark: %w", ErrMalformed, err)
	}
	if postmarkIgnored[b.RecordType] {
		return nil, nil, nil
	}
	x := pipeline.External{Provider: "postmark", OriginalMessageID: b.MessageID}
	switch b.RecordType {
	case "Bounce", "SpamComplaint":
		t, ok := postmarkTypes[b.Type]
		if !ok {
			return nil, nil, fmt.Errorf("%w: postmark bounce type %q (code %s)", ErrUnknownEvent, b.Type, b.TypeCode)
		}
		if t.ignore {
			return nil, nil, nil
		}
		x.Kind, x.Hint = t.kind, string(t.hint)
		x.EventID, x.Recipient = b.ID.String(), b.Email
		x.ReplyCode, x.Status, x.Diagnostic = diagnostic(b.Details)
		x.At, _ = time.Parse(time.RFC3339Nano, b.BouncedAt)
	case "Delivery":
		x.Kind = bounce.KindDelivered
		x.EventID, x.Recipient = "delivery:"+b.MessageID, b.Recipient
		x.ReplyCode, x.Status, x.Diagnostic = diagnostic(b.Details)
		x.At, _ = time.Parse(time.RFC3339Nano, b.DeliveredAt)
	default:
		return nil, nil, fmt.Errorf("%w: postmark record type %q", ErrUnknownEvent, b.RecordType)
	}
	if x.EventID == "" || x.EventID == "delivery:" || x.Recipient == "" {
		return nil, nil, fmt.Errorf("%w: postmark: no ID or address", ErrMalformed)
	}
	return []pipeline.External{x}, nil, nil
}
