package inbound

// Amazon SES notifications through an Amazon SNS HTTPS subscription.
//
// SNS POSTs a JSON envelope (Type, MessageId, TopicArn, Message, Timestamp,
// SignatureVersion, Signature, SigningCertURL, and SubscribeURL/Token for a
// subscription confirmation); Message is the SES notification, a JSON
// document whose notificationType (or eventType, for configuration-set
// event publishing) is Bounce, Complaint or Delivery. From "Verifying the
// signatures of Amazon SNS messages" (docs.aws.amazon.com/sns/latest/dg/
// sns-verify-signature-of-message.html): the string to sign is each
// field's name and value, each followed by a newline, in this order:
//
//	Notification: Message, MessageId, Subject (if present), Timestamp, TopicArn, Type
//	SubscriptionConfirmation, UnsubscribeConfirmation:
//	              Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type
//
// signed with SHA1withRSA (SignatureVersion 1) or SHA256withRSA (2) by the
// key of the X.509 certificate at SigningCertURL. The certificate is
// fetched only over verified HTTPS from a host matching the configured
// pattern, and cached. SES's fields are from "Amazon SES notification
// contents" (docs.aws.amazon.com/ses/latest/dg/notification-contents.html).

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/pipeline"
)

// DefaultSESCertHost is the host pattern of SNS signing certificates and
// subscription URLs: one label ("*") stands for the region.
const DefaultSESCertHost = "sns.*.amazonaws.com"

// SESOptions configure the SES (SNS) webhook.
type SESOptions struct {
	// TopicARNs are the SNS topics accepted; a message or subscription
	// from another topic is refused. Required.
	TopicARNs []string
	// CertHost is the pattern (labels, "*" for any one label) that the
	// host of SigningCertURL and SubscribeURL must match
	// (DefaultSESCertHost when empty). A host with a port must match with
	// its port.
	CertHost string
	// Client fetches certificates and confirms subscriptions; nil is a
	// client with the system's roots and a 10 s timeout.
	Client *http.Client
}

type ses struct {
	o   SESOptions
	log *slog.Logger

	mu    sync.Mutex
	certs map[string]*x509.Certificate // by SigningCertURL
}

func newSES(o SESOptions, log *slog.Logger) (*ses, error) {
	if len(o.TopicARNs) == 0 {
		return nil, errors.New("inbound: ses: no topic ARN allowed")
	}
	if o.CertHost == "" {
		o.CertHost = DefaultSESCertHost
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	// A redirect could lead off the allowed hosts: follow none.
	c := *o.Client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	o.Client = &c
	return &ses{o: o, log: log.With("provider", "ses"), certs: map[string]*x509.Certificate{}}, nil
}

type snsEnvelope struct {
	Type             string
	MessageId        string
	Token            string
	TopicArn         string
	Subject          *string
	Message          string
	Timestamp        string
	SignatureVersion string
	Signature        string
	SigningCertURL   string
	SubscribeURL     string
}

// stringToSign is the canonical string of the SNS documentation.
func (e *snsEnvelope) stringToSign() (string, error) {
	var b strings.Builder
	add := func(k, v string) { b.WriteString(k + "\n" + v + "\n") }
	switch e.Type {
	case "Notification":
		add("Message", e.Message)
		add("MessageId", e.MessageId)
		if e.Subject != nil {
			add("Subject", *e.Subject)
		}
		add("Timestamp", e.Timestamp)
		add("TopicArn", e.TopicArn)
		add("Type", e.Type)
	case "SubscriptionConfirmation", "UnsubscribeConfirmation":
		add("Message", e.Message)
		add("MessageId", e.MessageId)
		add("SubscribeURL", e.SubscribeURL)
		add("Timestamp", e.Timestamp)
		add("Token", e.Token)
		add("TopicArn", e.TopicArn)
		add("Type", e.Type)
	default:
		return "", fmt.Errorf("%w: sns message type %q", ErrUnknownEvent, e.Type)
	}
	return b.String(), nil
}

func (s *ses) parse(r *http.Request, body []byte) ([]pipeline.External, func(), error) {
	var env snsEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, nil, fmt.Errorf("%w: sns envelope: %w", ErrMalformed, err)
	}
	if env.MessageId == "" || env.TopicArn == "" {
		return nil, nil, fmt.Errorf("%w: sns envelope without MessageId or TopicArn", ErrMalformed)
	}
	if !slices.Contains(s.o.TopicARNs, env.TopicArn) {
		return nil, nil, fmt.Errorf("%w: sns topic %q is not allowed", ErrRefused, env.TopicArn)
	}
	if err := s.verify(&env); err != nil {
		return nil, nil, err
	}
	switch env.Type {
	case "SubscriptionConfirmation":
		return nil, nil, s.confirm(r, env.SubscribeURL, env.TopicArn)
	case "UnsubscribeConfirmation":
		s.log.Warn("sns subscription removed", "topic_arn", env.TopicArn)
		return nil, nil, nil
	}
	xs, err := sesRecipients(env.MessageId, []byte(env.Message))
	return xs, nil, err
}

func (s *ses) verify(env *snsEnvelope) error {
	text, err := env.stringToSign()
	if err != nil {
		return err
	}
	var h crypto.Hash
	switch env.SignatureVersion {
	case "1":
		h = crypto.SHA1
	case "2":
		h = crypto.SHA256
	default:
		return fmt.Errorf("%w: sns signature version %q", ErrSignature, env.SignatureVersion)
	}
	sig, err := base64.StdEncoding.DecodeString(env.Signature)
	if err != nil || len(sig) == 0 {
		return fmt.Errorf("%w: sns signature is not base64", ErrSignature)
	}
	cert, err := s.cert(env.SigningCertURL)
	if err != nil {
		return err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("%w: sns signing certificate has no RSA key", ErrSignature)
	}
	var digest []byte
	if h == crypto.SHA1 {
		d := sha1.Sum([]byte(text))
		digest = d[:]
	} else {
		d := sha256.Sum256([]byte(text))
		digest = d[:]
	}
	if err := rsa.VerifyPKCS1v15(pub, h, digest, sig); err != nil {
		return fmt.Errorf("%w: sns: %w", ErrSignature, err)
	}
	return nil
}

// allowedURL checks that raw is an https URL on a host matching CertHost.
func (s *ses) allowedURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%w: sns url is not an https url", ErrRefused)
	}
	if !hostMatches(s.o.CertHost, u.Host) {
		return nil, fmt.Errorf("%w: sns url host %q does not match %q", ErrRefused, u.Host, s.o.CertHost)
	}
	return u, nil
}

// hostMatches reports whether host matches pattern label by label, "*"
// standing for any one non-empty label; case is ignored.
func hostMatches(pattern, host string) bool {
	p := strings.Split(strings.ToLower(pattern), ".")
	h := strings.Split(strings.ToLower(host), ".")
	if len(p) != len(h) {
		return false
	}
	for i := range p {
		if p[i] == "*" {
			if h[i] == "" || strings.ContainsAny(h[i], ":/@") {
				return false
			}
			continue
		}
		if p[i] != h[i] {
			return false
		}
	}
	return true
}

func (s *ses) cert(raw string) (*x509.Certificate, error) {
	u, err := s.allowedURL(raw)
	if err != nil {
		return nil, err
	}
	key := u.String()
	s.mu.Lock()
	c := s.certs[key]
	s.mu.Unlock()
	if c != nil && time.Now().Before(c.NotAfter) {
		return c, nil
	}
	resp, err := s.o.Client.Get(key)
	if err != nil {
		return nil, fmt.Errorf("inbound: ses: fetch signing certificate: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("inbound: ses: fetch signing certificate: status %d", resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("inbound: ses: fetch signing certificate: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: sns signing certificate is not PEM", ErrSignature)
	}
	c, err = x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: sns signing certificate: %w", ErrSignature, err)
	}
	if now := time.Now(); now.Before(c.NotBefore) || now.After(c.NotAfter) {
		return nil, fmt.Errorf("%w: sns signing certificate is not valid now", ErrSignature)
	}
	s.mu.Lock()
	if len(s.certs) > 64 { // a handful of regions and rotations; never grows without bound
		clear(s.certs)
	}
	s.certs[key] = c
	s.mu.Unlock()
	return c, nil
}

// confirm GETs the SubscribeURL of an allowed topic on an allowed host.
func (s *ses) confirm(r *http.Request, raw, topic string) error {
	u, err := s.allowedURL(raw)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("%w: sns subscribe url: %w", ErrMalformed, err)
	}
	resp, err := s.o.Client.Do(req)
	if err != nil {
		return fmt.Errorf("inbound: ses: confirm subscription: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("inbound: ses: confirm subscription: status %d", resp.StatusCode)
	}
	s.log.Info("sns subscription confirmed", "topic_arn", topic)
	return nil
}

type sesNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Mail             struct {
		MessageID     string `json:"messageId"`
		CommonHeaders struct {
			MessageID string `json:"messageId"`
		} `json:"commonHeaders"`
	} `json:"mail"`
	Bounce *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		ReportingMTA      string `json:"reportingMTA"`
		Timestamp         string `json:"timestamp"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Action         string `json:"action"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
		Timestamp             string `json:"timestamp"`
		ComplainedRecipients  []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
	} `json:"complaint"`
	Delivery *struct {
		Timestamp    string   `json:"timestamp"`
		Recipients   []string `json:"recipients"`
		SMTPResponse string   `json:"smtpResponse"`
		ReportingMTA string   `json:"reportingMTA"`
	} `json:"delivery"`
}

// sesHint maps SES's bounce subtypes to a reason, from the bounce types
// table of "Amazon SES notification contents".
var sesHint = map[string]classify.Reason{
	"Permanent/NoEmail":                  classify.UserUnknown,
	"Permanent/Suppressed":               classify.Suppressed,
	"Permanent/OnAccountSuppressionList": classify.Suppressed,
	"Transient/MailboxFull":              classify.MailboxFull,
	"Transient/MessageTooLarge":          classify.MessageTooBig,
	"Transient/ContentRejected":          classify.ContentError,
	"Transient/AttachmentRejected":       classify.ContentError,
}

func sesTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// sesRecipients reads the SES notification msg of the SNS message id.
func sesRecipients(id string, msg []byte) ([]pipeline.External, error) {
	var n sesNotification
	if err := json.Unmarshal(msg, &n); err != nil {
		return nil, fmt.Errorf("%w: ses notification: %w", ErrMalformed, err)
	}
	typ := n.NotificationType
	if typ == "" {
		typ = n.EventType
	}
	orig := n.Mail.CommonHeaders.MessageID
	base := pipeline.External{Provider: "ses", EventID: id, OriginalMessageID: orig}
	var xs []pipeline.External
	switch typ {
	case "Bounce":
		b := n.Bounce
		if b == nil || len(b.BouncedRecipients) == 0 {
			return nil, fmt.Errorf("%w: ses bounce without recipients", ErrMalformed)
		}
		hint := sesHint[b.BounceType+"/"+b.BounceSubType]
		for _, rc := range b.BouncedRecipients {
			x := base
			x.Kind = bounce.KindBounce
			x.Recipient = rc.EmailAddress
			x.ReplyCode, x.Status, x.Diagnostic = diagnostic(rc.DiagnosticCode)
			if rc.Status != "" {
				x.Status = rc.Status
			}
			x.Hint = string(hint)
			x.RemoteMTA = strings.TrimPrefix(b.ReportingMTA, "dsn; ")
			x.At = sesTime(b.Timestamp)
			xs = append(xs, x)
		}
	case "Complaint":
		c := n.Complaint
		if c == nil || len(c.ComplainedRecipients) == 0 {
			return nil, fmt.Errorf("%w: ses complaint without recipients", ErrMalformed)
		}
		for _, rc := range c.ComplainedRecipients {
			x := base
			x.Kind = bounce.KindComplaint
			x.Recipient = rc.EmailAddress
			x.FeedbackType = c.ComplaintFeedbackType
			x.At = sesTime(c.Timestamp)
			xs = append(xs, x)
		}
	case "Delivery":
		d := n.Delivery
		if d == nil || len(d.Recipients) == 0 {
			return nil, fmt.Errorf("%w: ses delivery without recipients", ErrMalformed)
		}
		for _, rc := range d.Recipients {
			x := base
			x.Kind = bounce.KindDelivered
			x.Recipient = rc
			x.ReplyCode, x.Status, x.Diagnostic = diagnostic(d.SMTPResponse)
			x.At = sesTime(d.Timestamp)
			xs = append(xs, x)
		}
	default:
		return nil, fmt.Errorf("%w: ses notification type %q", ErrUnknownEvent, typ)
	}
	for _, x := range xs {
		if x.Recipient == "" {
			return nil, fmt.Errorf("%w: ses recipient without an address", ErrMalformed)
		}
	}
	return xs, nil
}
