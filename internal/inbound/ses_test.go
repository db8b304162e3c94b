package inbound

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/publisher"
)

const testTopic = "arn:aws:sns:us-west-2:123456789012:ses-bounces"

// snsFake is the HTTPS side of SNS: the signing certificate and the
// subscription URL, on a local TLS server, with the key that signs.
type snsFake struct {
	srv       *httptest.Server
	key       *rsa.PrivateKey
	confirmed atomic.Int32
	certGets  atomic.Int32
}

func newSNSFake(t *testing.T) *snsFake {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sns.amazonaws.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pemCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	f := &snsFake{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /SimpleNotificationService-test.pem", func(w http.ResponseWriter, r *http.Request) {
		f.certGets.Add(1)
		w.Write(pemCert)
	})
	mux.HandleFunc("GET /redirect.pem", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/SimpleNotificationService-test.pem", http.StatusFound)
	})
	mux.HandleFunc("GET /confirm", func(w http.ResponseWriter, r *http.Request) {
		f.confirmed.Add(1)
		w.Write([]byte("<ConfirmSubscriptionResponse/>"))
	})
	f.srv = httptest.NewTLSServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *snsFake) host() string { return f.srv.Listener.Addr().String() }

// envelope returns an SNS message of typ carrying msg, signed with
// version (1 or 2) by f's key.
func (f *snsFake) envelope(t *testing.T, typ, id, topic string, msg []byte, version string) []byte {
	t.Helper()
	env := snsEnvelope{
		Type: typ, MessageId: id, TopicArn: topic, Message: string(msg),
		Timestamp: "2026-12-02T11:00:00.000Z", SignatureVersion: version,
		SigningCertURL: f.srv.URL + "/SimpleNotificationService-test.pem",
	}
	if typ == "SubscriptionConfirmation" {
		env.Token = "2336412f37fb687f5d51e6e2425c464de"
		env.SubscribeURL = f.srv.URL + "/confirm"
	}
	text, err := env.stringToSign()
	if err != nil {
		t.Fatal(err)
	}
	var sig []byte
	if version == "1" {
		d := sha1.Sum([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA1, d[:])
	} else {
		d := sha256.Sum256([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA256, d[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	env.Signature = base64.StdEncoding.EncodeToString(sig)
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newSESStack(t *testing.T) (*stack, *snsFake) {
	f := newSNSFake(t)
	s := newStack(t, Options{SES: &SESOptions{TopicARNs: []string{testTopic}, CertHost: f.host(), Client: f.srv.Client()}})
	return s, f
}

func TestSES_bounceSuppressedOnceAndPublishedOnce(t *testing.T) {
	s, f := newSESStack(t)
	for _, version := range []string{"1", "2"} {
		t.Run("v"+version, func(t *testing.T) {
			id := "msg-bounce-v" + version
			body := f.envelope(t, "Notification", id, testTopic, fixture(t, "ses-bounce.json"), version)
			for range 2 { // the second is SNS's retry: nothing doubles
				if code := s.post(t, "/webhooks/ses", body, nil); code != http.StatusOK {
					t.Fatalf("POST = %d, want 200", code)
				}
			}
		})
	}
	if ok, scope := s.suppressed(t, "jane@example.com"); !ok || scope != "all" {
		t.Fatalf("suppressed = %v %q, want true all", ok, scope)
	}
	r := s.record(t, "jane@example.com")
	if r.Reason != "user_unknown" || !r.Hard || r.Format != "ses" || r.Status != "5.1.1" {
		t.Errorf("record = %+v, want user_unknown hard from ses with 5.1.1", r)
	}
	evs := s.events(t)
	// Two SNS messages (two ids), each sent twice: two bounce events, one suppression.
	if n := count(evs, publisher.TypeBounce, "jane@example.com"); n != 2 {
		t.Errorf("bounce events = %d, want 2 (one per SNS message id)", n)
	}
	if n := count(evs, publisher.TypeSuppressionAdded, "jane@example.com"); n != 1 {
		t.Errorf("suppression.added events = %d, want 1", n)
	}
	if n := f.certGets.Load(); n != 1 {
		t.Errorf("certificate fetched %d times, want 1 (cached)", n)
	}
}

func TestSES_noEmailHintAndComplaint(t *testing.T) {
	s, f := newSESStack(t)
	if code := s.post(t, "/webhooks/ses", f.envelope(t, "Notification", "m1", testTopic, fixture(t, "ses-bounce-noemail.json"), "2"), nil); code != 200 {
		t.Fatalf("bounce POST = %d", code)
	}
	if r := s.record(t, "nobody@example.org"); r == nil || !r.Suppressed || r.Reason != "user_unknown" {
		t.Errorf("NoEmail record = %+v, want suppressed user_unknown", r)
	}
	if code := s.post(t, "/webhooks/ses", f.envelope(t, "Notification", "m2", testTopic, fixture(t, "ses-complaint.json"), "2"), nil); code != 200 {
		t.Fatalf("complaint POST = %d", code)
	}
	if ok, scope := s.suppressed(t, "richard@example.com"); !ok || scope != "marketing" {
		t.Errorf("complaint suppressed = %v %q, want true marketing (complaint_scope)", ok, scope)
	}
	if n := count(s.events(t), publisher.TypeComplaint, "richard@example.com"); n != 1 {
		t.Errorf("complaint events = %d, want 1", n)
	}
}

func TestSES_deliveryIsEvidence(t *testing.T) {
	s, f := newSESStack(t)
	if code := s.post(t, "/webhooks/ses", f.envelope(t, "Notification", "d1", testTopic, fixture(t, "ses-delivery.json"), "2"), nil); code != 200 {
		t.Fatalf("POST = %d", code)
	}
	r := s.record(t, "jane@example.com")
	if r == nil || r.Suppressed || r.Kind != "delivered" {
		t.Errorf("record = %+v, want delivered evidence, not suppressed", r)
	}
	if evs := s.events(t); len(evs) != 0 {
		t.Errorf("events = %d, want none for a delivery", len(evs))
	}
}

func TestSES_refusedChangesNothing(t *testing.T) {
	s, f := newSESStack(t)
	good := f.envelope(t, "Notification", "x1", testTopic, fixture(t, "ses-bounce.json"), "2")
	var tampered map[string]any
	json.Unmarshal(good, &tampered)
	tampered["Message"] = string(fixture(t, "ses-bounce-noemail.json"))
	bad, _ := json.Marshal(tampered)
	var redirected map[string]any
	json.Unmarshal(good, &redirected)
	redirected["SigningCertURL"] = f.srv.URL + "/redirect.pem"
	redir, _ := json.Marshal(redirected)
	var otherHost map[string]any
	json.Unmarshal(good, &otherHost)
	otherHost["SigningCertURL"] = "https://evil.example/cert.pem"
	evil, _ := json.Marshal(otherHost)
	for _, tc := range []struct {
		name string
		body []byte
		want int
	}{
		{"bad signature", bad, http.StatusUnauthorized},
		{"certificate host not allowed", evil, http.StatusForbidden},
		{"certificate behind a redirect", redir, http.StatusBadGateway},
		{"topic not allowed", f.envelope(t, "Notification", "x2", "arn:aws:sns:us-west-2:1:other", fixture(t, "ses-bounce.json"), "2"), http.StatusForbidden},
		{"unknown notification", f.envelope(t, "Notification", "x3", testTopic, []byte(`{"notificationType":"Open"}`), "2"), http.StatusBadRequest},
		{"malformed", []byte(`{"Type":`), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code := s.post(t, "/webhooks/ses", tc.body, nil); code != tc.want {
				t.Errorf("POST = %d, want %d", code, tc.want)
			}
		})
	}
	if r := s.record(t, "jane@example.com"); r != nil {
		t.Errorf("record = %+v, want none", r)
	}
	if r := s.record(t, "nobody@example.org"); r != nil {
		t.Errorf("record = %+v, want none", r)
	}
	if evs := s.events(t); len(evs) != 0 {
		t.Errorf("events = %d, want 0", len(evs))
	}
}

func TestSES_subscriptionConfirmation(t *testing.T) {
	s, f := newSESStack(t)
	if code := s.post(t, "/webhooks/ses", f.envelope(t, "SubscriptionConfirmation", "c1", "arn:aws:sns:us-west-2:1:other", []byte("confirm"), "2"), nil); code != http.StatusForbidden {
		t.Errorf("other topic: POST = %d, want 403", code)
	}
	if n := f.confirmed.Load(); n != 0 {
		t.Fatalf("confirmed %d times for a topic not allowed", n)
	}
	if code := s.post(t, "/webhooks/ses", f.envelope(t, "SubscriptionConfirmation", "c2", testTopic, []byte("confirm"), "2"), nil); code != http.StatusOK {
		t.Fatalf("POST = %d, want 200", code)
	}
	if n := f.confirmed.Load(); n != 1 {
		t.Errorf("confirmed %d times, want 1", n)
	}
}

func TestHostMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, host string
		want          bool
	}{
		{"sns.*.amazonaws.com", "sns.us-east-1.amazonaws.com", true},
		{"sns.*.amazonaws.com", "SNS.eu-west-1.AMAZONAWS.com", true},
		{"sns.*.amazonaws.com", "sns.amazonaws.com", false},
		{"sns.*.amazonaws.com", "sns.a.b.amazonaws.com", false},
		{"sns.*.amazonaws.com", "sns.us-east-1.amazonaws.com.evil.example", false},
		{"sns.*.amazonaws.com", "sns.us-east-1.amazonaws.com:8443", false},
		{"sns.*.amazonaws.com", "evilsns.us-east-1.amazonaws.com", false},
	} {
		if got := hostMatches(tc.pattern, tc.host); got != tc.want {
			t.Errorf("hostMatches(%q, %q) = %v, want %v", tc.pattern, tc.host, got, tc.want)
		}
	}
}
