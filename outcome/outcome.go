// Package outcome holds Verdict, what bounced concluded about one recipient
// of one report and the evidence it concluded it from. It is the one type
// that carries the verdict from the classifier to the suppression store
// and to the published event: internal/record fills it from a decoded
// report (package bounce) and its classification (package classify), and
// the record, the store's entry and record and the event
// (publisher.Event) embed it, and encoding/json writes its fields flat in
// each of them, in its order.
//
// A field added to Verdict travels to the store and the event with no
// other edit: its JSON name is its name in the store's Redis hash too
// (AppendFields, FromFields). Only the JSONL record of `bounced parse`,
// whose order the contract fixes, lists the fields again (a test there
// fails until a new one is added at its end). It imports the standard library only, so that importing
// package publisher does not import the classifier's rules.
package outcome

import (
	"fmt"
	"reflect"
	"strings"
)

// Verdict is the outcome of one recipient: the report's kind, the
// classifier's reason, category, hardness and deciding rule, and the
// evidence (codes, words, hosts, the original message) it decided on.
// The JSON names and the fields left out when empty are those of
// docs/events.md.
//
// Verdict must have no MarshalJSON or UnmarshalJSON method: the structs
// that embed it would take it as theirs and write nothing else.
type Verdict struct {
	// Kind is the decoder's kind of the recipient's report: bounce,
	// delay, delivered, complaint, auto_reply, not_bounce or unparseable.
	Kind string `json:"kind,omitempty"`
	// Reason is the classifier's reason, e.g. user_unknown, mailbox_full
	// (../shared/CONTRACT.md).
	Reason string `json:"reason"`
	// Category groups reasons, e.g. user_unknown, policy_block, transient.
	Category string `json:"category"`
	// Hard is true for a permanent failure: retrying the recipient can
	// never succeed.
	Hard bool `json:"hard"`
	// Status is the enhanced status code (RFC 3463), e.g. 5.1.1.
	Status string `json:"status,omitempty"`
	// ReplyCode is the SMTP reply code (RFC 5321), e.g. 550.
	ReplyCode string `json:"reply_code,omitempty"`
	// Diagnostic is the remote server's own words.
	Diagnostic string `json:"diagnostic,omitempty"`
	// RemoteMTA is the server that refused the message.
	RemoteMTA string `json:"remote_mta,omitempty"`
	// ReportingMTA is the server that wrote the report.
	ReportingMTA string `json:"reporting_mta,omitempty"`
	// Format names the decoder that read the report, e.g. rfc3464,
	// postfix, or the provider of a webhook.
	Format string `json:"format,omitempty"`
	// Rule is the classifier rule that decided Reason, e.g.
	// "status:5.1.1".
	Rule string `json:"rule,omitempty"`
	// Confidence is how strong the verdict's evidence is: high, medium or
	// low (a fallback guess, which never suppresses for good).
	Confidence string `json:"confidence,omitempty"`
	// RuleSource is where the deciding rule comes from, when known.
	RuleSource string `json:"rule_source,omitempty"`
	// OriginalMessageID is the Message-ID of the message that bounced.
	OriginalMessageID string `json:"original_message_id,omitempty"`
	// OriginalSubject is the Subject of the message that bounced.
	OriginalSubject string `json:"original_subject,omitempty"`
}

// field is one field of Verdict in its flat form.
type field struct {
	name   string // the JSON name
	key    any    // name, boxed once
	index  int
	isBool bool
}

// fields are Verdict's fields in order, read from the type once: the one
// table of them.
var fields = fieldsOf(reflect.TypeFor[Verdict]())

func fieldsOf(t reflect.Type) []field {
	out := make([]field, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			panic(fmt.Sprintf("outcome: field %s has no JSON name", f.Name))
		}
		switch f.Type.Kind() {
		case reflect.String, reflect.Bool:
		default:
			panic(fmt.Sprintf("outcome: field %s is a %s: the flat form holds strings and bools", f.Name, f.Type))
		}
		out = append(out, field{name: name, key: name, index: i, isBool: f.Type.Kind() == reflect.Bool})
	}
	return out
}

// FieldNames returns the names of Verdict's fields in its flat form (and
// its JSON), in order.
func FieldNames() []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.name
	}
	return out
}

// AppendFields appends every field of v to dst as a name and a value, both
// strings, a bool as "1" or "0": the form the suppression store writes in
// an address's Redis hash (HSET name value ...). FromFields reads it back.
func (v Verdict) AppendFields(dst []any) []any {
	rv := reflect.ValueOf(&v).Elem()
	for _, f := range fields {
		x := rv.Field(f.index)
		if f.isBool {
			b := flatFalse
			if x.Bool() {
				b = flatTrue
			}
			dst = append(dst, f.key, b)
			continue
		}
		dst = append(dst, f.key, x.String())
	}
	return dst
}

// flatTrue and flatFalse are a bool's flat values, boxed once.
var flatTrue, flatFalse any = "1", "0"

// FromFields returns the Verdict whose fields m holds by name, as
// AppendFields writes them (a bool is true when "1"); a missing field is
// empty.
func FromFields(m map[string]string) Verdict {
	var v Verdict
	rv := reflect.ValueOf(&v).Elem()
	for _, f := range fields {
		s, ok := m[f.name]
		if !ok {
			continue
		}
		if f.isBool {
			rv.Field(f.index).SetBool(s == "1")
			continue
		}
		rv.Field(f.index).SetString(s)
	}
	return v
}
