// Package inbound receives the bounce, complaint and delivery webhooks of
// email service providers and applies each recipient through the same
// classify -> suppress -> publish path as a bounce read from a mailbox
// (pipeline.ApplyExternal).
//
// One file per provider: ses.go (Amazon SES through SNS, with SNS message
// signatures), sendgrid.go (Event Webhook, ECDSA signed events),
// postmark.go (basic auth or a secret path) and mailgun.go (HMAC-SHA256
// signature with a replay window). Every provider's handler answers:
//
//   - 2xx only once every recipient is durable in Redis and its event was
//     acknowledged by JetStream;
//   - 5xx when Redis or NATS failed, so that the provider sends the event
//     again (its event id makes the retry harmless);
//   - 4xx, with a warning in the log and nothing changed, for a bad
//     signature, an unknown event type or a malformed body.
package inbound

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"

	"github.com/bounced-dev/bounced/internal/pipeline"
	"github.com/bounced-dev/bounced/internal/suppress"
)

// DefaultMaxBody bounds a webhook's body when Options.MaxBody is zero.
const DefaultMaxBody = 1 << 20

// Errors of a refused webhook; the handler answers them with a 4xx.
var (
	// ErrSignature: the request is not signed (or authenticated) by the
	// provider.
	ErrSignature = errors.New("inbound: bad signature")
	// ErrUnknownEvent: an event type the handler does not know.
	ErrUnknownEvent = errors.New("inbound: unknown event type")
	// ErrMalformed: a body that is not the provider's format.
	ErrMalformed = errors.New("inbound: malformed body")
	// ErrRefused: a well-formed request that the configuration refuses
	// (a topic not allowed, a certificate host not matching).
	ErrRefused = errors.New("inbound: refused")
)

// ApplyFunc applies one recipient and returns when it is durable
// (pipeline.Pipeline.ApplyExternal).
type ApplyFunc func(ctx context.Context, x pipeline.External) (suppress.Result, error)

// Options configure the webhook handlers. A nil provider is disabled: its
// route answers 404.
type Options struct {
	// Apply applies each recipient. Nil (the pipeline is not up yet)
	// answers 503.
	Apply ApplyFunc
	// MaxBody bounds a request body (DefaultMaxBody when zero).
	MaxBody int64
	// Log receives one line per refused or failed webhook.
	Log *slog.Logger

	SES      *SESOptions
	SendGrid *SendGridOptions
	Postmark *PostmarkOptions
	Mailgun  *MailgunOptions
}

// provider reads one provider's webhook. parse returns the recipients to
// apply and, when not nil, undo, to call when applying them failed (it
// forgets a Mailgun token so that the retry is accepted).
type provider interface {
	parse(r *http.Request, body []byte) (xs []pipeline.External, undo func(), err error)
}

// Register adds the routes POST /webhooks/{provider} (and
// /webhooks/postmark/{secret}) of the enabled providers to mux.
func Register(mux *http.ServeMux, o Options) error {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	add := func(name string, p provider) {
		h := &handler{name: name, p: p, o: o, log: o.Log.With("provider", name)}
		mux.Handle("POST /webhooks/"+name, h)
		if name == "postmark" {
			mux.Handle("POST /webhooks/postmark/{secret}", h)
		}
	}
	if o.SES != nil {
		p, err := newSES(*o.SES, o.Log)
		if err != nil {
			return err
		}
		add("ses", p)
	}
	if o.SendGrid != nil {
		p, err := newSendGrid(*o.SendGrid)
		if err != nil {
			return err
		}
		add("sendgrid", p)
	}
	if o.Postmark != nil {
		p, err := newPostmark(*o.Postmark)
		if err != nil {
			return err
		}
		add("postmark", p)
	}
	if o.Mailgun != nil {
		p, err := newMailgun(*o.Mailgun)
		if err != nil {
			return err
		}
		add("mailgun", p)
	}
	return nil
}

type handler struct {
	name string
	p    provider
	o    Options
	log  *slog.Logger
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			h.log.Error("inbound: webhook handler panic", "panic", fmt.Sprint(v))
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	body, err := readBody(w, r, h.o.MaxBody)
	if err != nil {
		h.log.Warn("webhook refused", "error", err)
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	xs, undo, err := h.p.parse(r, body)
	if err != nil {
		code := http.StatusBadRequest
		switch {
		case errors.Is(err, ErrSignature):
			code = http.StatusUnauthorized
		case errors.Is(err, ErrRefused):
			code = http.StatusForbidden
		case errors.Is(err, ErrUnknownEvent), errors.Is(err, ErrMalformed):
		default:
			// Fetching a certificate or confirming a subscription failed:
			// the provider should try again.
			code = http.StatusBadGateway
		}
		h.log.Warn("webhook refused", "status", code, "error", err)
		http.Error(w, err.Error(), code)
		return
	}
	for _, x := range xs {
		// Checked before anything is applied: a request is applied whole
		// or refused whole.
		if _, err := suppress.NormalizeAddress(x.Recipient); err != nil {
			if undo != nil {
				undo()
			}
			h.log.Warn("webhook refused", "status", http.StatusBadRequest, "event_id", x.EventID, "error", err)
			http.Error(w, "inbound: malformed body: a recipient is not an address", http.StatusBadRequest)
			return
		}
	}
	if len(xs) > 0 && h.o.Apply == nil {
		if undo != nil {
			undo()
		}
		h.log.Warn("webhook not applied: the pipeline is not running yet")
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	applied := 0
	for _, x := range xs {
		if _, err := h.o.Apply(r.Context(), x); err != nil {
			code := http.StatusServiceUnavailable
			if errors.Is(err, pipeline.ErrExternal) {
				// The store or the stream refuses this recipient: a retry
				// cannot help, the others are applied.
				h.log.Warn("webhook recipient refused", "event_id", x.EventID, "error", err)
				continue
			}
			if undo != nil {
				undo()
			}
			h.log.Error("webhook not applied, the provider will retry", "event_id", x.EventID, "error", err)
			http.Error(w, "temporary failure", code)
			return
		}
		applied++
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]int{"applied": applied})
}

func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		return nil, fmt.Errorf("inbound: body over %d bytes or unreadable: %w", max, err)
	}
	return b, nil
}

// eventKind lower-cases and trims a provider's event or type name.
func eventKind(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// smtpWords finds the SMTP reply code and enhanced status a diagnostic
// starts with ("smtp; 550 5.1.1 <a@b>: user unknown", "550-5.1.1 ...").
var smtpWords = regexp.MustCompile(`^(?:smtp;\s*)?([245][0-9][0-9])(?:[ -]+([245]\.[0-9]{1,3}\.[0-9]{1,3}))?\b`)

// leadingStatus finds an enhanced status a text starts with, without a
// reply code before it (Mailgun's "5.1.1 The email account ...").
var leadingStatus = regexp.MustCompile(`^([245]\.[0-9]{1,3}\.[0-9]{1,3})\b`)

// diagnostic returns the reply code and status at the start of d, and d
// without its "smtp;" diagnostic-type prefix (RFC 3464 section 2.3.6).
func diagnostic(d string) (reply, status, text string) {
	d = strings.TrimSpace(d)
	text = d
	if low := strings.ToLower(d); strings.HasPrefix(low, "smtp;") {
		text = strings.TrimSpace(d[len("smtp;"):])
	}
	if m := smtpWords.FindStringSubmatch(text); m != nil {
		reply, status = m[1], m[2]
	} else if m := leadingStatus.FindStringSubmatch(text); m != nil {
		status = m[1]
	}
	return reply, status, text
}
