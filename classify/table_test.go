package classify

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuiltinRules_valid loads every built-in rules file on its own and
// all together, and checks what the loader cannot: every provider can be
// selected, every line names a source.
func TestBuiltinRules_valid(t *testing.T) {
	lines, err := builtinLines()
	if err != nil {
		t.Fatalf("builtinLines() error %v", err)
	}
	if _, err := build(lines); err != nil {
		t.Fatalf("build(builtin) error %v", err)
	}
	if len(lines) < 1000 {
		t.Errorf("built-in rules have %d lines, want the whole former Go tables (> 1000)", len(lines))
	}
	for _, l := range lines {
		if l.source == "" {
			t.Errorf("%s:%d has no source", l.file, l.n)
		}
	}
	for _, p := range Builtin().providers {
		if len(p.Hosts) == 0 && len(p.Signs) == 0 {
			t.Errorf("provider %s has neither hosts nor signs: it can never be selected", p.Name)
		}
		if len(p.Rules) == 0 {
			t.Errorf("provider %s has no rules", p.Name)
		}
	}
	r := Builtin()
	for name, n := range map[string]int{"text": len(r.text), "weak": len(r.weak), "status": len(r.status),
		"fallback": len(r.fallback), "refine": len(r.refine), "adjust": len(r.adjust)} {
		if n == 0 {
			t.Errorf("stage %s has no rules", name)
		}
	}
	names := ruleFiles()
	if len(names) < 6 {
		t.Errorf("ruleFiles() = %v, want the six built-in files", names)
	}
}

// TestBuiltinRules_linesAreShort checks that no line of the data files is
// one of the long Go lines the data replaced: one wording per line.
func TestBuiltinRules_linesAreShort(t *testing.T) {
	err := fs.WalkDir(builtinFiles, "rules", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := builtinFiles.ReadFile(path)
		if err != nil {
			return err
		}
		for i, l := range strings.Split(string(raw), "\n") {
			cols := strings.Split(l, "\t")
			if len(cols) == 6 && len(cols[3]) > 200 {
				t.Errorf("%s:%d: a wording of %d bytes: write the meaning, not a sentence", path, i+1, len(cols[3]))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func loadOps(t *testing.T, text string) *Rules {
	t.Helper()
	r, err := LoadRules(strings.NewReader(text), "ops.tsv")
	if err != nil {
		t.Fatalf("LoadRules() error %v", err)
	}
	return r
}

func TestLoadRules_good(t *testing.T) {
	ops := "# an operator's rules\n" +
		"text\t380\tmailbox_full\tkasten voll\t-\tour Italian relay's notices, ticket 42\n" +
		"text\t5\tsuppressed\tdo-not-mail list\t-\tour ESP's account policy\n" +
		"provider:shopmx\t0\thost\tmx.shop.example\t-\tour own MX\n" +
		"provider:shopmx\t100\tblocked\tscram\tcode=5xx\tour own MX's wording\n"
	c := New(loadOps(t, ops))
	tests := []struct {
		name   string
		in     Input
		reason Reason
		rule   string
		source string
	}{
		{"new wording", Input{Diagnostic: "550 kasten voll", Action: "failed"}, MailboxFull, "text:mailbox_full/kasten voll", "our Italian relay's notices, ticket 42"},
		{"new precedence", Input{Diagnostic: "550 user unknown: on the do-not-mail list"}, Suppressed, "text:suppressed/do-not-mail list", "our ESP's account policy"},
		{"new provider", Input{Diagnostic: "554 scram", RemoteMTA: "mx.shop.example"}, Blocked, "provider:shopmx/scram", "our own MX's wording"},
		{"built-in rules still apply", Input{Diagnostic: "550 5.1.1 no such user"}, UserUnknown, "text:user_unknown/no such user", "corpus:lhost-mailfoundry-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := c.Classify(tc.in)
			if v.Reason != tc.reason || v.Rule != tc.rule || v.RuleSource != tc.source {
				t.Errorf("Classify() = %s %q %q, want %s %q %q", v.Reason, v.Rule, v.RuleSource, tc.reason, tc.rule, tc.source)
			}
			if v.Confidence != High {
				t.Errorf("Classify() confidence %s, want high (the line cites a source)", v.Confidence)
			}
		})
	}
	// The package function keeps the built-in rules only.
	if v := Classify(Input{Diagnostic: "550 kasten voll"}); v.Reason == MailboxFull && strings.Contains(v.Rule, "casella") {
		t.Errorf("Classify() used an operator's rule: %+v", v)
	}
}

func TestLoadRules_override(t *testing.T) {
	in := Input{Status: "5.0.0", Diagnostic: "550 mailbox unavailable: user unknown", Command: "RCPT", Action: "failed"}
	if v := Classify(in); v.Reason != UserUnknown {
		t.Fatalf("built-in Classify() = %s, want user_unknown (the premise of this test)", v.Reason)
	}
	// This operator's gateway writes "user unknown" for its own
	// recipient filter.
	c := New(loadOps(t, "text\t400\tfiltered\tuser unknown\t-\tour gateway's admin guide\n"))
	v := c.Classify(in)
	if v.Reason != Filtered || v.Rule != "text:filtered/user unknown" || v.RuleSource != "our gateway's admin guide" {
		t.Errorf("Classify() = %s %q %q, want the operator's filtered", v.Reason, v.Rule, v.RuleSource)
	}
	// The other wordings of the overridden built-in rule still decide.
	if v := c.Classify(Input{Diagnostic: "550 no such user", Command: "RCPT"}); v.Reason != UserUnknown {
		t.Errorf("Classify(no such user) = %s, want user_unknown", v.Reason)
	}
}

// TestLoadRules_off: an operator's "off" line stops exactly that built-in
// wording of its stage, and nothing else.
func TestLoadRules_off(t *testing.T) {
	in := Input{Diagnostic: "550 mailbox unavailable: user unknown", Command: "RCPT", Action: "failed"}
	if v := Classify(in); !strings.HasSuffix(v.Rule, "/user unknown") {
		t.Fatalf("built-in Classify() rule %q, want the text wording \"user unknown\" (the premise of this test)", v.Rule)
	}
	c := New(loadOps(t, "text\t0\toff\tuser unknown\t-\tmisfires on our gateway's filter replies\n"))
	if v := c.Classify(in); strings.HasSuffix(v.Rule, "/user unknown") {
		t.Errorf("Classify() with the wording off = %+v, still decided by it", v)
	}
	// The other wordings of the same built-in rule still decide.
	if v := c.Classify(Input{Diagnostic: "550 no such user", Command: "RCPT"}); v.Reason != UserUnknown {
		t.Errorf("Classify(no such user) = %s, want user_unknown", v.Reason)
	}
	// Built-in lines may not use it.
	if _, err := parseLines(strings.NewReader("text\t0\toff\tuser unknown\t-\tx\n"), "builtin.tsv", false); err == nil || !strings.Contains(err.Error(), "builtin.tsv:1: reason \"off\" is for an operator's file") {
		t.Errorf("a built-in off line: error %v, want it refused", err)
	}
}

func TestLoadRules_bad(t *testing.T) {
	ok := "text\t380\tmailbox_full\tkasten voll\t-\tops\n"
	tests := []struct {
		name, file, want string
	}{
		{"unknown reason", ok + "text\t380\tmailbox_fool\tpiena\t-\tops\n", "ops.tsv:2: unknown reason"},
		{"columns", "# comment\n\n" + "text\t380\tmailbox_full\tpiena\n", "ops.tsv:3: want 6 tab-separated columns"},
		{"upper case wording", ok + "text\t390\tmailbox_full\tCasella\t-\tops\n", "ops.tsv:2: wording \"Casella\" must be lower case"},
		{"empty wording", ok + "text\t390\tmailbox_full\t|\t-\tops\n", "ops.tsv:2: empty wording"},
		{"bad status", ok + "status\t10\tmailbox_full\tstatus:5.2\t-\tops\n", "ops.tsv:2: bad status pattern"},
		{"bad code condition", ok + "text\t390\tmailbox_full\tpiena\tcode=55x\tops\n", "ops.tsv:2: bad reply code pattern"},
		{"unknown condition", ok + "text\t390\tmailbox_full\tpiena\tcolour=red\tops\n", "ops.tsv:2: unknown condition"},
		{"unknown stage", ok + "texts\t390\tmailbox_full\tpiena\t-\tops\n", "ops.tsv:2: unknown stage"},
		{"bad precedence", ok + "text\tfirst\tmailbox_full\tpiena\t-\tops\n", "ops.tsv:2: precedence"},
		{"no source", ok + "text\t390\tmailbox_full\tpiena\t-\t\n", "ops.tsv:2: no source"},
		{"conflicting rule", ok + "text\t380\tuser_unknown\tnessuno\t-\tops\n", "ops.tsv:2: precedence 380 of text is already the rule of line 1"},
		{"duplicate", ok + "text\t380\tmailbox_full\tkasten voll\t-\tops\n", "ops.tsv:2: duplicate wording"},
		{"raised confidence", ok + "text\t390\tmailbox_full\tpiena\tconfidence=high\tops\n", "ops.tsv:2: confidence may only be lowered"},
		{"adjust without from", ok + "adjust\t10\tblocked\t-\tcommand=MAIL\tops\n", "ops.tsv:2: a adjust line needs from="},
		{"refine with a wording", ok + "refine\t10\tfiltered\tcontent filter\tfrom=user_unknown\tops\n", "ops.tsv:2: a refine line matches no wording"},
		{"adjust with a code", ok + "adjust\t10\tfiltered\tstatus:5.7.1\tfrom=user_unknown\tops\n", "ops.tsv:2: a adjust line matches no wording or code"},
		{"off with conditions", ok + "text\t0\toff\tuser unknown\tcode=550\tops\n", "ops.tsv:2: an \"off\" line names the built-in wording it turns off"},
		{"off without a wording", ok + "text\t0\toff\t-\t-\tops\n", "ops.tsv:2: an \"off\" line names"},
		{"off of no built-in wording", ok + "text\t0\toff\tuser unknwon\t-\tops\n", "ops.tsv:2: \"user unknwon\" turns off no built-in wording of stage text"},
		{"off of another stage's wording", ok + "weak\t0\toff\tuser unknown\t-\tops\n", "ops.tsv:2: \"user unknown\" turns off no built-in wording of stage weak"},
		{"adjust with an upper case wording", ok + "adjust\t10\tfiltered\tEnd-of-data\tfrom=user_unknown\tops\n", "ops.tsv:2: wording \"End-of-data\" must be lower case"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadRules(strings.NewReader(tc.file), "ops.tsv")
			if err == nil {
				t.Fatalf("LoadRules() = nil error, want %q", tc.want)
			}
			if !errors.Is(err, ErrRules) {
				t.Errorf("LoadRules() error %v is not ErrRules", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadRules() error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadRulesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ops.tsv")
	if err := os.WriteFile(path, []byte("text\t380\tmailbox_full\tkasten voll\t-\tops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := LoadRulesFile(path)
	if err != nil {
		t.Fatalf("LoadRulesFile() error %v", err)
	}
	if v := New(r).Classify(Input{Diagnostic: "kasten voll"}); v.Reason != MailboxFull {
		t.Errorf("Classify() = %s, want mailbox_full", v.Reason)
	}
	if _, err := LoadRulesFile(filepath.Join(t.TempDir(), "missing.tsv")); err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadRulesFile(missing) error %v, want fs.ErrNotExist", err)
	}
}

func TestClassify_confidence(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want Confidence
		src  string // a prefix of RuleSource, or "" for none
	}{
		{"specific status code", Input{Status: "5.1.1", Action: "failed"}, High, "RFC 3463"},
		{"wording with a cited source", Input{Diagnostic: "550 5.7.1 Relay access denied"}, High, "Postfix"},
		{"wording taught by the corpus", Input{Diagnostic: "550 no such user", Command: "RCPT"}, High, "corpus:"},
		{"provider reference", Input{Diagnostic: "550-5.1.1 The email account that you tried to reach does not exist", RemoteMTA: "gmail-smtp-in.l.google.com"}, High, "Gmail"},
		{"complaint", Input{FeedbackType: "abuse"}, High, "RFC 5965"},
		{"wording of unrecorded origin", Input{Diagnostic: "550 no existe"}, Medium, "unattributed:"},
		{"decoder hint", Input{Hint: MailboxFull}, Medium, ""},
		{"generic words", Input{Diagnostic: "554 access to this server is denied", Command: "RCPT"}, Medium, ""},
		{"status class", Input{Status: "5.7.1", Diagnostic: "554 5.7.1 we do not want this"}, Medium, "RFC 3463"},
		{"stage guessed", Input{Status: "5.0.0", Action: "failed", Diagnostic: "550 user unknown"}, Medium, ""},
		{"bare reply code", Input{ReplyCode: "552"}, Low, "RFC 5321"},
		{"catch-all on_hold", Input{Diagnostic: "something odd happened"}, Low, ""},
		{"catch-all undefined", Input{}, Low, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Classify(tc.in)
			if v.Confidence != tc.want {
				t.Errorf("Classify() = %s %q (source %q) confidence %s, want %s", v.Reason, v.Rule, v.RuleSource, v.Confidence, tc.want)
			}
			if tc.src != "" && !strings.HasPrefix(v.RuleSource, tc.src) {
				t.Errorf("Classify() source %q, want it to start with %q", v.RuleSource, tc.src)
			}
		})
	}
}

// FuzzLoadRules checks that no operator file makes the loader or the
// classifier panic: a file is either refused with ErrRules or usable.
func FuzzLoadRules(f *testing.F) {
	f.Add("text\t380\tmailbox_full\tkasten voll\t-\tops\n")
	f.Add("adjust\t10\tblocked\t-\tfrom=user_unknown; command=MAIL\tops\n")
	f.Add("provider:x\t0\thost\tmx.example\t-\tops\nprovider:x\t5\tblocked\tstatus:5.7.1\t-\tops\n")
	f.Add("text\t1\tuser_unknown\t|\t-\tops\n")
	f.Fuzz(func(t *testing.T, file string) {
		r, err := LoadRules(strings.NewReader(file), "fuzz.tsv")
		if err != nil {
			if !errors.Is(err, ErrRules) {
				t.Fatalf("LoadRules() error %v is not ErrRules", err)
			}
			return
		}
		New(r).Classify(Input{Action: "failed", Status: "5.7.1", Diagnostic: "550 5.7.1 kasten voll " + file, RemoteMTA: "mx.example"})
	})
}

// TestLoadRules_adjustWording checks that an operator's adjust line with a
// wording holds only where the wording occurs, and that one keeping the
// verdict's reason ends the adjustments of the reason.
func TestLoadRules_adjustWording(t *testing.T) {
	r, err := LoadRules(strings.NewReader("adjust\t10\tuser_unknown\tnot in our directory\tfrom=user_unknown; command=-; name=stage:ops\tops\n"), "ops.tsv")
	if err != nil {
		t.Fatal(err)
	}
	c := New(r)
	kept := c.Classify(Input{Action: "failed", Status: "5.0.0", Diagnostic: "550 User unknown: not in our directory"})
	if kept.Reason != UserUnknown || !strings.HasSuffix(kept.Rule, "+stage:ops") || !kept.Hard {
		t.Errorf("with the wording: %+v, want a hard user_unknown named +stage:ops", kept)
	}
	guessed := c.Classify(Input{Action: "failed", Status: "5.0.0", Diagnostic: "550 User unknown"})
	if guessed.Reason != Filtered || !strings.HasSuffix(guessed.Rule, "+stage:unknown") {
		t.Errorf("without the wording: %+v, want filtered by +stage:unknown", guessed)
	}
}
