package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// looFloor is what TestLeaveOneOut must keep (percent, corrected labels),
// measured on 2026-12-03 with
//
//	go test ./cmd/bounced -run TestLeaveOneOut -v
//
// It may only be raised.
var looFloor = floor{0, 99.80, 94.40, 97.80, 98.39}

// TestLeaveOneOut estimates how bounced reads a message of a known format
// that taught it nothing, as the held-out corpora's are: each labelled
// message of the shared corpus is decoded with the rule lines that only
// it taught turned off (an operator's rules file of "off" lines, the
// same `bounced parse --rules` operators use), and the corpus is scored
// on those verdicts beside the full rules' score.
//
// A rule line is the message's own when its source cites the message as
// the corpus message that taught it and no other: "corpus:FILE" with no
// "(+N more)", and no other corpus message holds its wording (read
// plainly: its pieces, lower case, white space folded, in another
// message's bytes). Every line citing a server's source, a provider's
// page or an RFC stays, and so does everything the decoders know: this
// measures the rules, not the decoders' structure.
func TestLeaveOneOut(t *testing.T) {
	if raceEnabled {
		t.Skip("decodes every copy in-process, which -race slows tenfold: make test runs it in its second line, without -race")
	}
	score, _ := scorerAndBinary(t)
	corpus, err := filepath.Abs(filepath.Join(sharedDir, "corpus", "sisimai"))
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := correctedCorpus(t, corpus, loadCorrections(t))
	labels, _ := correctedLabels(t, corpus, loadCorrections(t))
	var files []string
	texts := map[string]string{}
	for p := range labels {
		files = append(files, p)
		b, err := os.ReadFile(filepath.Join(corpus, p))
		if err != nil {
			t.Fatal(err)
		}
		texts[p] = foldPlain(string(b))
	}
	sort.Strings(files)

	own := ownRules(t, "../../classify/rules", texts)
	if len(own) < 50 {
		t.Fatalf("%d messages taught a rule of their own, want 50 or more: the sources' form changed?", len(own))
	}
	offDir := t.TempDir()
	parse := func(args ...string) string {
		var out, errb bytes.Buffer
		if code := run(append([]string{"parse", "--format", "jsonl"}, args...), strings.NewReader(""), &out, &errb); code != 0 && out.Len() == 0 {
			t.Fatalf("bounced parse %v: exit %d: %s", args, code, errb.String())
		}
		return out.String()
	}
	var full, loo strings.Builder
	var rest []string
	lines := 0
	for _, p := range files {
		path := filepath.Join(dir, p)
		full.WriteString(parse(path))
		ls := own[p]
		if len(ls) == 0 {
			rest = append(rest, path)
			continue
		}
		lines += len(ls)
		rules := filepath.Join(offDir, p+".tsv")
		var b strings.Builder
		for _, l := range ls {
			fmt.Fprintf(&b, "%s\t0\toff\t%s\t-\tleave-one-out: taught by %s only\n", l.stage, l.match, p)
		}
		writeTestFile(t, rules, []byte(b.String()))
		loo.WriteString(parse("--rules", rules, path))
	}
	if len(rest) > 0 {
		loo.WriteString(parse(rest...))
	}
	show := "0"
	if testing.Verbose() {
		show = "80"
	}
	before, fullOut := scoreJSONL(t, score, dir, full.String(), show)
	after, out := scoreJSONL(t, score, dir, loo.String(), show)
	t.Logf("%d rule lines taught by one message each, %d messages: full rules %s, each message without its own %s (recipient / reason / category / hard)",
		lines, len(own), figures(before), figures(after))
	if testing.Verbose() {
		had := map[string]bool{}
		for _, m := range strings.Split(misses(fullOut), "\n") {
			had[m] = true
		}
		var added []string
		for _, m := range strings.Split(misses(out), "\n") {
			if !had[m] {
				added = append(added, m)
			}
		}
		t.Logf("misses without their own rules that the full rules do not have:\n%s", strings.Join(added, "\n"))
	}
	for _, m := range []struct {
		name      string
		got, want float64
	}{{"recipient", after["recipient"], looFloor.recipient}, {"reason", after["reason"], looFloor.reason},
		{"category", after["category"], looFloor.category}, {"hard", after["hard"], looFloor.hard}} {
		if m.got+1e-9 < m.want {
			t.Errorf("leave-one-out %s %.2f%% below its floor %.2f%%", m.name, m.got, m.want)
		}
	}
}

// ownRule is a rule line's stage and match, as an "off" line names it.
type ownRule struct{ stage, match string }

var corpusSource = regexp.MustCompile(`^corpus:(?:sisimai/)?([a-z0-9]+(?:-[a-z0-9]+)*-[0-9]+)(?:\.eml)?$`)

// ownRules returns, per corpus message (its labels.json path), the rule
// lines of the built-in files in dir that only it taught. A stage and
// match that any other line cites otherwise is left on (turning it off
// would turn that line off too).
func ownRules(t *testing.T, dir string, texts map[string]string) map[string][]ownRule {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.tsv"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no rules files in %s: %v", dir, err)
	}
	byName := map[string]string{} // file name: its labels.json path
	for p := range texts {
		byName[filepath.Base(p)] = p
	}
	teacher := map[ownRule]string{} // "" once a line of it is not one message's own
	var order []ownRule
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			cols := strings.Split(sc.Text(), "\t")
			if len(cols) != 6 || strings.HasPrefix(cols[0], "#") || cols[3] == "-" || strings.HasPrefix(cols[3], "!") {
				continue
			}
			k := ownRule{cols[0], cols[3]}
			msg := ""
			if m := corpusSource.FindStringSubmatch(strings.TrimSpace(cols[5])); m != nil {
				msg = byName[m[1]+".eml"]
				if msg == "" || heldElsewhere(cols[3], msg, texts) {
					msg = ""
				}
			}
			prev, seen := teacher[k]
			switch {
			case !seen:
				teacher[k] = msg
				order = append(order, k)
			case prev != msg:
				teacher[k] = ""
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string][]ownRule{}
	for _, k := range order {
		if m := teacher[k]; m != "" {
			out[m] = append(out[m], k)
		}
	}
	return out
}

// heldElsewhere reports whether a message other than msg holds every
// piece of the wording w (its syntax's "|", "^:" and " * " taken away).
func heldElsewhere(w, msg string, texts map[string]string) bool {
	if strings.HasPrefix(w, "status:") || strings.HasPrefix(w, "code:") {
		return true // a code is no one message's wording
	}
	w = strings.TrimPrefix(w, "^:")
	var pieces []string
	for _, p := range strings.Split(w, " * ") {
		if p = foldPlain(strings.ReplaceAll(p, "|", "")); p != "" {
			pieces = append(pieces, p)
		}
	}
	for p, text := range texts {
		if p == msg {
			continue
		}
		all := len(pieces) > 0
		for _, piece := range pieces {
			if !strings.Contains(text, piece) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// foldPlain lower-cases s and folds its white space runs to one space.
func foldPlain(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// scoreJSONL scores dir on `bounced parse` output already made.
func scoreJSONL(t *testing.T, score, dir, jsonl, show string) (map[string]float64, string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "parse.jsonl")
	writeTestFile(t, f, []byte(jsonl))
	out, _ := exec.Command("python3", score, dir, "--jsonl", f, "--show", show).CombinedOutput()
	m := map[string]float64{}
	for _, fig := range scoreFigure.FindAllStringSubmatch(string(out), -1) {
		var v float64
		fmt.Sscanf(fig[2], "%g", &v)
		m[fig[1]] = v
	}
	if len(m) != 4 {
		t.Fatalf("score %s: no figures in\n%s", dir, out)
	}
	return m, string(out)
}
