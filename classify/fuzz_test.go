package classify

import (
	"strings"
	"testing"
)

// FuzzClassify checks that Classify never panics and always answers a
// valid reason, the category of that reason, and the rule that decided.
func FuzzClassify(f *testing.F) {
	for _, in := range allTestInputs() {
		f.Add(in.Status, in.ReplyCode, in.Diagnostic, in.Action, in.Command, in.RemoteMTA, in.Recipient, string(in.Hint), in.FeedbackType)
	}
	f.Add("5.7.1", "550", "550-5.7.1 a 550 5.7.1 b <x@y> |spam| \u00e9 ユーザ", "failed", "RCPT", "mx.google.com", "a@docomo.ne.jp", "filtered", "")
	f.Add("5.", "5", "@@@ @a@ a@ @b 550-", "", "", ".", "@", "", "")
	f.Fuzz(func(t *testing.T, status, code, diag, action, command, remote, rcpt, hint, fb string) {
		in := Input{Status: status, ReplyCode: code, Diagnostic: diag, Action: action, Command: command,
			RemoteMTA: remote, Recipient: rcpt, Hint: Reason(hint), FeedbackType: fb}
		v := Classify(in)
		if !v.Reason.Valid() {
			t.Fatalf("Classify(%+v) reason %q is not valid", in, v.Reason)
		}
		if v.Category != v.Reason.Category() {
			t.Fatalf("Classify(%+v) category %s, want %s", in, v.Category, v.Reason.Category())
		}
		if v.Rule == "" {
			t.Fatalf("Classify(%+v) rule is empty", in)
		}
		if n := normalize(diag); strings.Contains(n, "  ") {
			t.Fatalf("normalize(%q) = %q keeps a double space", diag, n)
		}
	})
}
