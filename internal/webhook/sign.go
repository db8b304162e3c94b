package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// The Standard Webhooks headers (spec/standard-webhooks.md, "Webhook
// headers"), sent on every POST.
const (
	// HeaderID is the message id, the same on every attempt of one event:
	// receivers deduplicate on it.
	HeaderID = "webhook-id"
	// HeaderTimestamp is the attempt's time in Unix seconds.
	HeaderTimestamp = "webhook-timestamp"
	// HeaderSignature is a space-separated list of "v1,<base64 HMAC>", one
	// per secret.
	HeaderSignature = "webhook-signature"
)

// SecretPrefix starts a serialised symmetric secret, as the Standard
// Webhooks specification requires ("whsec_" then base64).
const SecretPrefix = "whsec_"

// Secret lengths the specification allows: "at least 24 bytes (192 bits,
// 512 maximum)".
const (
	MinSecretBytes = 24
	MaxSecretBytes = 64
)

// ErrBadSecret is wrapped by ParseSecret's errors.
var ErrBadSecret = errors.New("webhook: bad secret")

// ParseSecret decodes a secret written as whsec_<base64> into the HMAC
// key it stands for. The error never contains the secret.
func ParseSecret(s string) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, SecretPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: want %s followed by base64 (bounced webhooks secret makes one)", ErrBadSecret, SecretPrefix)
	}
	key, err := base64.StdEncoding.DecodeString(rest)
	if err != nil {
		return nil, fmt.Errorf("%w: the part after %s is not base64", ErrBadSecret, SecretPrefix)
	}
	if len(key) < MinSecretBytes || len(key) > MaxSecretBytes {
		return nil, fmt.Errorf("%w: %d bytes, want %d to %d", ErrBadSecret, len(key), MinSecretBytes, MaxSecretBytes)
	}
	return key, nil
}

// NewSecret returns a new random secret of 32 bytes, written as
// whsec_<base64>.
func NewSecret() (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("webhook: new secret: %w", err)
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// Sign returns the webhook-signature header value for a message: for each
// key, "v1," and the base64 HMAC-SHA256 of "<id>.<timestamp>.<body>"
// (spec/standard-webhooks.md, "Signature scheme"), separated by spaces.
// Signing with the new and the old key during a rotation lets receivers
// switch without losing a message.
func Sign(id string, timestamp int64, body []byte, keys ...[]byte) string {
	sigs := make([]string, 0, len(keys))
	ts := strconv.FormatInt(timestamp, 10)
	for _, k := range keys {
		m := hmac.New(sha256.New, k)
		m.Write([]byte(id))
		m.Write([]byte{'.'})
		m.Write([]byte(ts))
		m.Write([]byte{'.'})
		m.Write(body)
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(m.Sum(nil)))
	}
	return strings.Join(sigs, " ")
}

// MessageID returns the webhook-id of the event with id eventID:
// "msg_" and 32 hex digits of its SHA-256. The specification asks that
// the id hold no '.', which event ids (they end in an address) do; the
// event id itself is in the body and in the ce-id header.
func MessageID(eventID string) string {
	sum := sha256.Sum256([]byte(eventID))
	return "msg_" + hex.EncodeToString(sum[:16])
}

// RedactURL returns u without user information, query or fragment, which
// often carry a receiver's token, for logs and status pages.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable url)"
	}
	hidden := u.User != nil || u.RawQuery != "" || u.Fragment != ""
	u.User, u.RawQuery, u.Fragment, u.RawFragment, u.ForceQuery = nil, "", "", "", false
	if hidden {
		return u.String() + "?…"
	}
	return u.String()
}
