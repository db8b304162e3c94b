package inbound

// Mailgun webhooks ("Securing Webhooks" and "Events", documentation.mailgun.com):
// a JSON body {"signature": {"timestamp", "token", "signature"},
// "event-data": {...}} where signature is the hex HMAC-SHA256, keyed with
// the webhook signing key, of timestamp followed by token. A signature
// older than the replay window, or a token seen before, is refused (the
// token is kept in Redis with SET NX and a TTL). event-data.event is
// failed (severity permanent or temporary), complained or delivered;
// delivery-status holds the SMTP code, message and description.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/pipeline"
)

// DefaultMailgunReplayWindow is how old a Mailgun signature may be.
const DefaultMailgunReplayWindow = 5 * time.Minute

// MailgunOptions configure the Mailgun webhook.
type MailgunOptions struct {
	// SigningKey is the account's HTTP webhook signing key.
	SigningKey string
	// ReplayWindow is how far a signature's timestamp may be from now
	// (DefaultMailgunReplayWindow when zero).
	ReplayWindow time.Duration
	// Redis remembers the tokens seen, for twice the replay window.
	Redis redis.UniversalClient
	// KeyPrefix prefixes the token keys ("{bounced}" when empty).
	KeyPrefix string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

type mailgun struct{ o MailgunOptions }

func newMailgun(o MailgunOptions) (*mailgun, error) {
	if o.SigningKey == "" {
		return nil, errors.New("inbound: mailgun: no signing_key")
	}
	if o.Redis == nil {
		return nil, errors.New("inbound: mailgun: no redis client for the token replay check")
	}
	if o.ReplayWindow <= 0 {
		o.ReplayWindow = DefaultMailgunReplayWindow
	}
	if o.KeyPrefix == "" {
		o.KeyPrefix = "{bounced}"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &mailgun{o: o}, nil
}

type mailgunBody struct {
	Signature struct {
		Timestamp string `json:"timestamp"`
		Token     string `json:"token"`
		Signature string `json:"signature"`
	} `json:"signature"`
	Event *struct {
		Event     string  `json:"event"`
		ID        string  `json:"id"`
		Timestamp float64 `json:"timestamp"`
		Severity  string  `json:"severity"`
		Reason    string  `json:"reason"`
		Recipient string  `json:"recipient"`
		Status    struct {
			Code         json.Number `json:"code"`
			Message      string      `json:"message"`
			Description  string      `json:"description"`
			EnhancedCode string      `json:"enhanced-code"`
			MXHost       string      `json:"mx-host"`
		} `json:"delivery-status"`
		Message struct {
			Headers struct {
				MessageID string `json:"message-id"`
			} `json:"headers"`
		} `json:"message"`
	} `json:"event-data"`
}

func (m *mailgun) parse(r *http.Request, body []byte) ([]pipeline.External, func(), error) {
	var b mailgunBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, nil, fmt.Errorf("%w: mailgun: %w", ErrMalformed, err)
	}
	sg := b.Signature
	mac := hmac.New(sha256.New, []byte(m.o.SigningKey))
	mac.Write([]byte(sg.Timestamp + sg.Token))
	want := mac.Sum(nil)
	got, err := hex.DecodeString(sg.Signature)
	if err != nil || sg.Token == "" || !hmac.Equal(got, want) {
		return nil, nil, fmt.Errorf("%w: mailgun: signature does not verify", ErrSignature)
	}
	sec, err := strconv.ParseInt(sg.Timestamp, 10, 64)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: mailgun: timestamp %q", ErrSignature, sg.Timestamp)
	}
	if d := m.o.Now().Sub(time.Unix(sec, 0)); math.Abs(float64(d)) > float64(m.o.ReplayWindow) {
		return nil, nil, fmt.Errorf("%w: mailgun: signature timestamp outside the %s replay window", ErrSignature, m.o.ReplayWindow)
	}
	xs, err := mailgunRecipients(&b)
	if err != nil {
		return nil, nil, err
	}
	key := m.o.KeyPrefix + ":inbound:mailgun:token:" + sg.Token
	ok, err := m.o.Redis.SetNX(r.Context(), key, "1", 2*m.o.ReplayWindow).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("inbound: mailgun: token check: %w", err)
	}
	if !ok {
		return nil, nil, fmt.Errorf("%w: mailgun: token used before (a replay)", ErrSignature)
	}
	undo := func() {
		// The apply failed: the provider's retry must be accepted.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		m.o.Redis.Del(ctx, key)
	}
	return xs, undo, nil
}

func mailgunRecipients(b *mailgunBody) ([]pipeline.External, error) {
	e := b.Event
	if e == nil || e.ID == "" || e.Recipient == "" {
		return nil, fmt.Errorf("%w: mailgun: no event-data, id or recipient", ErrMalformed)
	}
	st := e.Status
	x := pipeline.External{Provider: "mailgun", EventID: e.ID, Recipient: e.Recipient,
		OriginalMessageID: e.Message.Headers.MessageID, RemoteMTA: st.MXHost}
	if e.Timestamp > 0 {
		x.At = time.Unix(int64(e.Timestamp), 0)
	}
	code := st.Code.String()
	if n, err := st.Code.Int64(); err != nil || n < 200 || n > 599 {
		code = "" // Mailgun's own codes (605: a suppressed address) are no SMTP reply
	}
	text := strings.TrimSpace(strings.Join(nonEmpty(st.Message, st.Description), " "))
	reply, status, text := diagnostic(text)
	x.ReplyCode, x.Status, x.Diagnostic = code, st.EnhancedCode, text
	if x.ReplyCode == "" {
		x.ReplyCode = reply
	}
	if x.Status == "" {
		x.Status = status
	}
	switch eventKind(e.Event) {
	case "failed":
		switch eventKind(e.Severity) {
		case "permanent":
			x.Kind = bounce.KindBounce
		case "temporary":
			x.Kind = bounce.KindDelay
		default:
			return nil, fmt.Errorf("%w: mailgun: failed event with severity %q", ErrMalformed, e.Severity)
		}
		if strings.HasPrefix(e.Reason, "suppress-") {
			// Mailgun did not send: the address is on its bounce,
			// complaint or unsubscribe list ("reason" of failed events).
			x.Hint = string(classify.Suppressed)
		}
	case "complained":
		x.Kind = bounce.KindComplaint
	case "delivered":
		x.Kind = bounce.KindDelivered
	default:
		return nil, fmt.Errorf("%w: mailgun event %q", ErrUnknownEvent, e.Event)
	}
	return []pipeline.External{x}, nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
