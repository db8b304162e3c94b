package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/publisher"
)

// result is the outcome of one POST.
type result struct {
	ok         bool
	status     int
	err        string        // why it failed, without URL or secret
	retryAfter time.Duration // from a Retry-After answer
}

// handle delivers one event: ack after a 2xx, retry later after a
// failure, dead-letter after the last failed attempt.
func (ep *endpoint) handle(ctx context.Context, msg jetstream.Msg) {
	if ep.gone.Load() {
		// Fetched by another worker before the 410: left for the next start.
		_ = msg.Nak()
		return
	}
	md, err := msg.Metadata()
	if err != nil {
		ep.log.Warn("webhook: event without metadata; sent again later", "error", err)
		_ = msg.NakWithDelay(ep.RetryMin)
		return
	}
	attempt := int(md.NumDelivered)
	evID := msg.Headers().Get(jetstream.MsgIDHeader)
	log := ep.log.With("event", evID, "seq", md.Sequence.Stream, "attempt", attempt)
	if attempt > ep.MaxAttempts {
		// An earlier run failed the last attempt but stopped before
		// dead-lettering the event.
		ep.deadLetter(ctx, msg, md, attempt-1, "attempts exhausted", log)
		return
	}
	start := time.Now()
	res := ep.post(ctx, msg, evID)
	switch {
	case res.ok:
		if err := msg.DoubleAck(ctx); err != nil {
			log.Warn("webhook: ack failed; the event will be sent again", "error", err)
			return
		}
		ep.delivered.Add(1)
		ep.mu.Lock()
		ep.lastOK = time.Now().UTC()
		ep.mu.Unlock()
		log.Debug("webhook delivered", "status", res.status, "duration", time.Since(start))
	case ctx.Err() != nil:
		// Stopping: the event is sent again at the next start.
		_ = msg.Nak()
	case res.status == http.StatusGone:
		// "Sender should disable the webhook endpoint, and stop sending it
		// messages" (spec/standard-webhooks.md, "Delivery success and
		// failure"). Its events wait in the consumer.
		ep.gone.Store(true)
		ep.setState("disabled")
		ep.noteError("410 Gone: endpoint disabled until bounced restarts")
		_ = msg.Nak()
		log.Error("webhook receiver answered 410 Gone: endpoint disabled until bounced restarts; its events wait in the consumer")
	default:
		ep.failed.Add(1)
		ep.noteError(res.err)
		if attempt >= ep.MaxAttempts {
			ep.deadLetter(ctx, msg, md, attempt, res.err, log)
			return
		}
		delay := ep.retryDelay(attempt, res.retryAfter)
		log.Warn("webhook delivery failed; retrying", "error", res.err, "retry_in", delay.Round(time.Millisecond))
		_ = msg.NakWithDelay(delay)
	}
}

// retryDelay is the wait after the attempt-th failure: RetryMin times
// 4^(attempt-1), at most RetryMax, with up to 10% of jitter (the
// specification recommends jitter against synchronised retries), or
// longer if the receiver asked so with Retry-After.
func (ep *endpoint) retryDelay(attempt int, retryAfter time.Duration) time.Duration {
	d := ep.RetryMin
	for i := 1; i < attempt && d < ep.RetryMax; i++ {
		d *= 4
	}
	d = min(d, ep.RetryMax)
	d += time.Duration(rand.Int64N(int64(d)/10 + 1))
	return min(max(d, retryAfter), ep.RetryMax)
}

// post sends one event once.
func (ep *endpoint) post(ctx context.Context, msg jetstream.Msg, evID string) result {
	body := msg.Data()
	if evID == "" {
		var ev struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(body, &ev) == nil {
			evID = ev.ID
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return result{err: "request: " + describe(err)}
	}
	id := MessageID(evID)
	ts := time.Now().Unix()
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "bounced-webhook/1")
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderSignature, Sign(id, ts, body, ep.Keys...))
	cloudEventHeaders(h, msg.Headers(), body)

	resp, err := ep.client.Do(req)
	if err != nil {
		return result{err: describe(err)}
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxResponseBody))
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return result{ok: true, status: resp.StatusCode}
	}
	res := result{status: resp.StatusCode, err: "status " + strconv.Itoa(resp.StatusCode)}
	if s := printable(snippet); s != "" {
		res.err += ": " + s
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if n, err := strconv.Atoi(ra); err == nil && n > 0 {
			res.retryAfter = time.Duration(n) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			res.retryAfter = time.Until(t)
		}
	}
	return res
}

// cloudEventHeaders sets the CloudEvents attributes as HTTP headers in
// binary content mode (CloudEvents HTTP protocol binding, section 3.1):
// the ce-* headers of the NATS message, which the NATS binding writes the
// same way, or, for an event published without them, those of its body.
// datacontenttype is the Content-Type header in HTTP (section 3.1.1).
func cloudEventHeaders(h http.Header, nh nats.Header, body []byte) {
	ce := map[string]string{}
	for k, v := range nh {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "ce-") && len(v) > 0 {
			ce[lk] = v[0]
		}
	}
	if ce["ce-specversion"] == "" {
		var ev publisher.Event
		if json.Unmarshal(body, &ev) != nil || ev.ID == "" {
			return
		}
		host, _ := os.Hostname()
		ce = publisher.CloudEventHeaders(ev, host)
	}
	for k, v := range ce {
		if k == "ce-datacontenttype" {
			continue
		}
		h[k] = []string{v} // lower case, as the binding writes them
	}
}

// deadLetter copies the event to the endpoint's dead-letter subject in the
// same stream, then terminates it. If the copy fails, the event is
// retried later instead.
func (ep *endpoint) deadLetter(ctx context.Context, msg jetstream.Msg, md *jetstream.MsgMetadata, attempts int, why string, log *slog.Logger) {
	o := ep.svc.opts
	dl := &nats.Msg{Subject: DeadLetterSubject(o.SubjectPrefix, ep.Name), Data: msg.Data(), Header: nats.Header{}}
	for k, v := range msg.Headers() {
		if !strings.HasPrefix(k, "Nats-") {
			dl.Header[k] = v
		}
	}
	dl.Header.Set(HeaderDeadEndpoint, ep.Name)
	dl.Header.Set(HeaderDeadAttempts, strconv.Itoa(attempts))
	dl.Header.Set(HeaderDeadError, headerValue(why))
	dl.Header.Set(HeaderDeadSubject, msg.Subject())
	seq := strconv.FormatUint(md.Sequence.Stream, 10)
	dl.Header.Set(HeaderDeadSequence, seq)
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := ep.svc.js.PublishMsg(pctx, dl, jetstream.WithMsgID("deadletter:"+ep.Name+":"+seq), jetstream.WithExpectStream(o.Stream)); err != nil {
		log.Error("webhook: dead-letter publish failed; the event is retried", "error", err)
		_ = msg.NakWithDelay(ep.RetryMin)
		return
	}
	if err := msg.TermWithReason("dead-lettered to " + dl.Subject); err != nil {
		log.Warn("webhook: terminate after dead-lettering failed", "error", err)
	}
	ep.deadLettered.Add(1)
	log.Error("webhook event dead-lettered", "subject", dl.Subject, "attempts", attempts, "error", why)
}

// describe says why a request failed, without the URL (its query may
// carry a receiver's token).
func describe(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "timeout: " + ue.Err.Error()
		}
		return ue.Err.Error()
	}
	return err.Error()
}

// printable returns the start of a receiver's answer on one line of
// printable ASCII, for the status page.
func printable(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return ' '
		}
		return r
	}, string(b))
	return strings.Join(strings.Fields(s), " ")
}

// headerValue makes s fit in one header line.
func headerValue(s string) string {
	s = printable([]byte(s))
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}
