package bounce

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden .json files of testdata/")

// goldenReport is the part of a Report the golden files pin down.
type goldenReport struct {
	Kind          Kind           `json:"kind"`
	Format        string         `json:"format"`
	AutoReplyFrom string         `json:"auto_reply_from,omitempty"`
	ReportingMTA  string         `json:"reporting_mta,omitempty"`
	Recipients    []goldenRcpt   `json:"recipients"`
	Original      goldenOriginal `json:"original"`
}

type goldenRcpt struct {
	Address      string `json:"address"`
	Action       string `json:"action"`
	Status       string `json:"status"`
	ReplyCode    string `json:"reply_code"`
	Diagnostic   string `json:"diagnostic"`
	RemoteMTA    string `json:"remote_mta,omitempty"`
	Command      string `json:"command,omitempty"`
	FeedbackType string `json:"feedback_type,omitempty"`
	ReasonHint   string `json:"reason_hint,omitempty"`
}

type goldenOriginal struct {
	MessageID string `json:"message_id,omitempty"`
	From      string `json:"from,omitempty"`
	Subject   string `json:"subject,omitempty"`
}

// TestDecode_golden decodes every testdata/*.eml and compares the result
// with the .json file beside it. Run `go test ./bounce -run Golden -update`
// to rewrite them after a deliberate change, and review the diff.
func TestDecode_golden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.eml fixtures")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".eml")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := DecodeBytes(raw, &Options{VERP: []string{"bounces+{local}={domain}@shop.example"}})
			if err != nil {
				t.Fatalf("DecodeBytes() error = %v", err)
			}
			g := goldenReport{Kind: rep.Kind, Format: rep.Format, AutoReplyFrom: rep.AutoReplyFrom, ReportingMTA: rep.ReportingMTA,
				Recipients: []goldenRcpt{},
				Original:   goldenOriginal{MessageID: rep.Original.MessageID, From: rep.Original.From, Subject: rep.Original.Subject}}
			for _, r := range rep.Recipients {
				g.Recipients = append(g.Recipients, goldenRcpt{Address: r.Address, Action: r.Action, Status: r.Status,
					ReplyCode: r.ReplyCode, Diagnostic: r.Diagnostic, RemoteMTA: r.RemoteMTA, Command: r.Command,
					FeedbackType: r.FeedbackType, ReasonHint: r.ReasonHint})
			}
			got, _ := json.MarshalIndent(g, "", "  ")
			got = append(got, '\n')
			golden := strings.TrimSuffix(f, ".eml") + ".json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("missing golden file (run with -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Decode(%s) =\n%s\nwant\n%s", f, got, want)
			}
		})
	}
}
