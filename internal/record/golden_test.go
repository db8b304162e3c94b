package record

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bounced-dev/bounced/outcome"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// everyField is a record with every field set, each to its own value.
func everyField() Record {
	var r Record
	r.Source, r.Kind, r.Recipient, r.Action = "file.eml", "bounce", "Taro@docomo.ne.jp", "failed"
	r.Status, r.ReplyCode, r.Reason, r.Category, r.Hard = "5.1.1", "550", "user_unknown", "user_unknown", true
	r.Diagnostic, r.RemoteMTA, r.ReportingMTA = "550 5.1.1 <Taro@docomo.ne.jp>: unknown & gone", "mx.docomo.ne.jp", "relay.shop.example"
	r.Format, r.OriginalMessageID, r.OriginalFrom = "rfc3464", "<o1@shop.example>", "Shop <orders@shop.example>"
	r.FeedbackType, r.Rule, r.Confidence, r.RuleSource = "abuse", "status:5.1.1", "high", "RFC 3463"
	r.OriginalSubject, r.Error = "ご注文 #1", "none"
	return r
}

// TestRecord_jsonGolden: the JSON of a record, the JSONL line of `bounced
// parse` (../shared/CONTRACT.md), keeps its keys, their order and which
// are always present: with every field set, and with none.
func TestRecord_jsonGolden(t *testing.T) {
	tests := []struct {
		name, file string
		r          Record
	}{
		{"every field", "record_full.golden.json", everyField()},
		{"empty", "record_empty.golden.json", Record{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.r)
			if err != nil {
				t.Fatalf("Marshal() = %v", err)
			}
			got := append(b, '\n')
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Marshal() =\n%s\nwant (%s)\n%s", got, path, want)
			}
			var back Record
			if err := json.Unmarshal(want, &back); err != nil {
				t.Fatalf("Unmarshal(golden) = %v", err)
			}
			if !reflect.DeepEqual(back, tc.r) {
				t.Errorf("Unmarshal(golden) = %+v, want %+v", back, tc.r)
			}
		})
	}
}

// TestRecord_jsonNoEscape: an encoder set not to escape HTML (the JSONL
// writer of `bounced parse`) writes '<', '>' and '&' as they are, and
// json.Marshal escapes them, as for any struct.
func TestRecord_jsonNoEscape(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(everyField()); err != nil {
		t.Fatal(err)
	}
	if want := `"550 5.1.1 <Taro@docomo.ne.jp>: unknown & gone"`; !bytes.Contains(buf.Bytes(), []byte(want)) {
		t.Errorf("Encode() = %s, want %s unescaped", buf.Bytes(), want)
	}
	b, _ := json.Marshal(everyField())
	if want := `"550 5.1.1 \u003cTaro@docomo.ne.jp\u003e: unknown \u0026 gone"`; !bytes.Contains(b, []byte(want)) {
		t.Errorf("Marshal() = %s, want %s escaped", b, want)
	}
}

// TestRecord_jsonHasEveryVerdictField: the contract's layout (MarshalJSON)
// writes every field of the outcome: one added to outcome.Verdict fails
// here until it is added to contractRecord (at its end: the contract is
// extended only by adding fields).
func TestRecord_jsonHasEveryVerdictField(t *testing.T) {
	var r Record
	rv := reflect.ValueOf(&r.Verdict).Elem()
	for i := range rv.NumField() {
		if rv.Field(i).Kind() == reflect.Bool {
			rv.Field(i).SetBool(true)
		} else {
			rv.Field(i).SetString("x")
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, name := range outcome.FieldNames() {
		if _, ok := m[name]; !ok {
			t.Errorf("Marshal(Record) has no %q: add it to contractRecord", name)
		}
	}
	var back Record
	if err := json.Unmarshal(b, &back); err != nil || back != r {
		t.Errorf("Unmarshal(Marshal(r)) = %+v, %v; want %+v", back, err, r)
	}
}
