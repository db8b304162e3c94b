package suppress

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/addrcheck"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// everyRecordField is a record with every field set, each to its own value.
func everyRecordField() Record {
	at := time.Date(2026, 12, 2, 10, 0, 0, 123e6, time.UTC)
	var r Record
	r.Address, r.AsWritten, r.Suppressed, r.Scope, r.Scopes = "taro@docomo.ne.jp", "Taro@docomo.ne.jp", true, "all", []string{"all"}
	r.Carrier, r.Faults, r.Suggestion = "docomo", []addrcheck.Fault{{Code: "dot_before_at", Message: "m", MessageJA: "ja"}}, "taro@docomo.ne.jp"
	r.Policy, r.Hint, r.LastDelivered = "user_unknown", "check the address", at.Add(-time.Hour)
	r.Kind, r.Reason, r.Category, r.Hard = "bounce", "user_unknown", "user_unknown", true
	r.Status, r.ReplyCode, r.Diagnostic = "5.1.1", "550", "550 5.1.1 unknown & gone"
	r.RemoteMTA, r.ReportingMTA, r.Format = "mx.docomo.ne.jp", "relay.shop.example", "rfc3464"
	r.Rule, r.Confidence, r.RuleSource = "status:5.1.1", "high", "RFC 3463"
	r.OriginalMessageID, r.OriginalSubject, r.Source = "<o1@shop.example>", "ご注文 #1", "imap://mail/INBOX;UIDVALIDITY=1;UID=5"
	r.Verification, r.Count, r.FirstSeen, r.LastSeen = "verified", 3, at.Add(-48*time.Hour), at
	r.SuppressedAt, r.ExpiresAt, r.Complaint = at, at.Add(720*time.Hour), true
	r.LiftedAt, r.LiftedBy, r.Raw, r.Note = at.Add(-24*time.Hour), "ops", "9f86d081", "by hand"
	return r
}

// TestRecord_jsonGolden: the JSON of a record (the API's and the CLI's)
// keeps its keys, their order and which are always present.
func TestRecord_jsonGolden(t *testing.T) {
	tests := []struct {
		name, file string
		r          Record
	}{
		{"every field", "record_full.golden.json", everyRecordField()},
		{"empty but kind", "record_empty.golden.json", func() Record { var r Record; r.Kind = "bounce"; return r }()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.MarshalIndent(tc.r, "", "  ")
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
