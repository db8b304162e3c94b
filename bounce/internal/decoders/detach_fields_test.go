package decoders

import (
	"reflect"
	"testing"
)

// TestAppendStrings_everyField fails when a string field is added to
// Report, Recipient or Original without appendStrings naming it: detach
// would then leave that field sharing the caller's bytes.
func TestAppendStrings_everyField(t *testing.T) {
	rep := &Report{Recipients: make([]Recipient, 2)}
	named := map[*string]bool{}
	for _, p := range rep.appendStrings(nil) {
		named[p] = true
	}
	check := func(what string, v reflect.Value) {
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.Kind() != reflect.String {
				continue
			}
			if p := (*string)(f.Addr().UnsafePointer()); !named[p] {
				t.Errorf("%s.%s is a string that appendStrings does not name", what, v.Type().Field(i).Name)
			}
		}
	}
	check("Report", reflect.ValueOf(rep).Elem())
	for i := range rep.Recipients {
		check("Recipient", reflect.ValueOf(&rep.Recipients[i]).Elem())
	}
	check("Original", reflect.ValueOf(&rep.Original).Elem())
}

// TestDetach_ownFields checks that detach gives the report's Original a
// header of its own: a Header may be a window on its Parser's slab of
// fields (mime.newHeader), whose other fields hold strings of the
// message, which the report must not keep alive.
func TestDetach_ownFields(t *testing.T) {
	raw := []byte("Subject: hello\nX-Other: kept by the slab\n")
	s := string(raw) // stands for strings of raw (Parser.Shared)
	slab := header{{Key: "subject", Value: s[9:14]}, {Key: "x-other", Value: s[24:]}}
	rep := &Report{Original: Original{fields: slab[:1:1], known: true}}
	detach(rep, raw, nil)
	if &rep.Original.fields[0] == &slab[0] {
		t.Fatal("the report's Original still shares the slab of header fields")
	}
	if got := rep.Original.Get("subject"); got != "hello" {
		t.Errorf("Original.Get(subject) = %q, want hello", got)
	}
}
