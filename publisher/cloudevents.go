package publisher

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// CloudEvents attributes of every event (CloudEvents 1.0, spec.md
// "Context Attributes"), sent in binary content mode: each attribute as
// its own ce-<name> header, the event's JSON as the body (CloudEvents NATS
// protocol binding, section 3.1; the webhooks send them as HTTP headers
// the same way, HTTP protocol binding section 3.1).
const (
	// CloudEventsSpecVersion is the ce-specversion of every event.
	CloudEventsSpecVersion = "1.0"
	// CloudEventsTypePrefix starts ce-type, which is the prefix and
	// Event.Type: dev.bounced.bounce, dev.bounced.suppression.added...
	CloudEventsTypePrefix = "dev.bounced."
	// CloudEventsContentType is ce-datacontenttype, the body's type.
	CloudEventsContentType = "application/json"
)

// CloudEventHeaders returns the CloudEvents attributes of ev as ce-*
// headers, values percent-encoded as the NATS and HTTP bindings require
// (section 3.1.3.2):
//
//	ce-specversion      1.0
//	ce-type             dev.bounced.<type>
//	ce-source           bounced://<host>/<mailbox> (CloudEventSource)
//	ce-id               the event's id
//	ce-time             the event's time, RFC 3339
//	ce-datacontenttype  application/json
//
// The id is unique within the source, as the specification requires: it
// is unique in the stream.
func CloudEventHeaders(ev Event, host string) map[string]string {
	h := make(map[string]string, 6)
	eachCloudEventHeader(ev, cePercent(CloudEventSource(host, ev.Mailbox)), func(k, v string) { h[k] = v })
	return h
}

// eachCloudEventHeader calls set with each CloudEvents header of ev, its
// ce-source being source (already percent-encoded): the one list of them,
// for CloudEventHeaders and for the messages a Publisher sends.
func eachCloudEventHeader(ev Event, source string, set func(k, v string)) {
	set("ce-specversion", CloudEventsSpecVersion)
	set("ce-type", CloudEventsTypePrefix+string(ev.Type))
	set("ce-source", source)
	set("ce-id", cePercent(ev.ID))
	set("ce-time", ev.Time.UTC().Format(time.RFC3339Nano))
	set("ce-datacontenttype", CloudEventsContentType)
}

// CloudEventSource returns the CloudEvents source of an event from the
// named mailbox read by the bounced on host: bounced://<host>/<mailbox>,
// or bounced://<host>/ for an event of no mailbox (a lift by an operator).
// An empty host is "localhost".
func CloudEventSource(host, mailbox string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if host == "" {
		host = "localhost"
	}
	u := url.URL{Scheme: "bounced", Host: host, Path: "/" + mailbox}
	return u.String()
}

// cePercent percent-encodes s for a ce-* header: space, '"', '%' and every
// character outside printable ASCII, byte by byte of its UTF-8, with
// upper-case hex (NATS protocol binding section 3.1.3.2; HTTP protocol
// binding section 3.1.3.2 says the same).
func cePercent(s string) string {
	i := 0
	for i < len(s) && !ceEscaped(s[i]) {
		i++
	}
	if i == len(s) {
		return s // the common case: nothing to encode, no copy
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ceEscaped(c) {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ceEscaped reports whether cePercent encodes c.
func ceEscaped(c byte) bool { return c <= 0x20 || c >= 0x7f || c == '"' || c == '%' }

// hostname is the host named in the CloudEvents source of a Publisher's
// events.
func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "localhost"
	}
	return h
}

// setCloudEvents sets the CloudEvents headers of ev on a message: those
// of CloudEventHeaders, set one by one rather than through a map, with the
// source of each mailbox made once.
func (p *Publisher) setCloudEvents(h nats.Header, ev Event) {
	eachCloudEventHeader(ev, p.ceSource(ev.Mailbox), h.Set)
}

// maxSources bounds the sources a Publisher keeps made (ceSource): the
// daemon's mailboxes are a handful.
const maxSources = 64

// ceSource returns cePercent(CloudEventSource(p.host, mailbox)), made once
// per mailbox.
func (p *Publisher) ceSource(mailbox string) string {
	if v, ok := p.sources.Load(mailbox); ok {
		return v.(string)
	}
	src := cePercent(CloudEventSource(p.host, mailbox))
	if p.sourceCount.Add(1) <= maxSources {
		p.sources.Store(mailbox, src)
	}
	return src
}
