package classify

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // charsets of the corpus's text parts
)

// The provenance of the rules: every line's source column says where its
// wording comes from (see the package doc). Two source forms are checked
// here beyond "not empty":
//
//	corpus:sisimai/FILE (+N more)   the first corpus message (sorted by
//	                                name) whose text holds the wording, and
//	                                how many others hold it too
//	corpus:FILE                     the older short form (no folder, no .eml)
//	unattributed: WHY               neither found in the shared corpus nor
//	                                in a published reference
//
// "legacy" (carried over, origin not recorded) is no longer allowed.

// attribute rewrites the source of every legacy line of the rules files
// (and of every line unattributed because the corpus did not hold its
// wording, in case it holds it now) with the corpus message that holds
// its wording, or unattributed: ...:
//
//	go test ./classify -run TestRules_attributeFromCorpus -provenance
var attribute = flag.Bool("provenance", false, "rewrite the legacy sources of classify/rules/*.tsv from ../shared/corpus")

// corpusDir is the shared labelled corpus, present beside the project in
// its workspace and absent elsewhere (tests that need it skip).
const corpusDir = "../../shared/corpus/sisimai/maildir"

// corpusFolders are the corpus folders searched, in order: bounces first,
// then messages that are not bounces.
var corpusFolders = []string{"bsd", "not"}

// corpusMessage is one corpus message as the matcher sees it: its raw
// text and the text of its decoded parts (transfer encoding and charset
// undone), each normalised as Classify normalises a diagnostic.
type corpusMessage struct {
	name  string // FILE, the name inside its folder
	texts []index
}

// loadCorpus reads the messages of the shared corpus, or reports false if
// it is absent.
func loadCorpus(t *testing.T) ([]corpusMessage, bool) {
	t.Helper()
	var out []corpusMessage
	for _, folder := range corpusFolders {
		dir := filepath.Join(corpusDir, folder)
		ents, err := os.ReadDir(dir)
		if os.IsNotExist(err) {
			return nil, false
		}
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range ents {
			if !e.IsDir() {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			raw, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				t.Fatal(err)
			}
			m := corpusMessage{name: n, texts: []index{newIndex(normalize(string(body(raw))))}}
			if dec := decodedText(raw); dec != "" {
				m.texts = append(m.texts, newIndex(normalize(dec)))
			}
			out = append(out, m)
		}
	}
	return out, true
}

// body is a raw message without its header: a wording in the header
// (Received, From) did not teach a rule.
func body(raw []byte) []byte {
	for _, sep := range []string{"\n\n", "\r\n\r\n", "\r\r"} {
		if i := bytes.Index(raw, []byte(sep)); i >= 0 {
			return raw[i+len(sep):]
		}
	}
	return raw
}

// decodedText is the Subject and the decoded text of every part of a
// message (the header fields of its parts excluded), or "" if it cannot
// be read as MIME.
func decodedText(raw []byte) string {
	e, err := message.Read(bytes.NewReader(raw))
	if e == nil {
		return ""
	}
	_ = err // an unknown charset still leaves a readable entity
	var b strings.Builder
	if subj, err := e.Header.Text("Subject"); err == nil {
		b.WriteString(subj)
		b.WriteByte('\n')
	}
	_ = e.Walk(func(_ []int, part *message.Entity, err error) error {
		if err != nil || part == nil {
			return nil
		}
		mt, _, _ := part.Header.ContentType()
		if strings.HasPrefix(mt, "multipart/") {
			return nil
		}
		body, _ := io.ReadAll(io.LimitReader(part.Body, 1<<20))
		b.Write(body)
		b.WriteByte('\n')
		return nil
	})
	return b.String()
}

// holds lists the corpus messages whose text holds the wording p.
func holds(msgs []corpusMessage, p *pattern) []string {
	var out []string
	for _, m := range msgs {
		for i := range m.texts {
			if p.in(&m.texts[i]) {
				out = append(out, m.name)
				break
			}
		}
	}
	return out
}

// corpusSource is the source form naming the messages that hold a wording.
func corpusSource(names []string) string {
	s := "corpus:sisimai/" + names[0]
	if len(names) > 1 {
		s += fmt.Sprintf(" (+%d more)", len(names)-1)
	}
	return s
}

// unattributedNoWording is the source of a legacy line that has no
// wording to look for (a refine or adjust line, a rule of conditions only).
const unattributedNoWording = "unattributed: a rule of conditions, no wording; carried over from the Go tables, its origin not recorded"

// unattributedNotFound is the source of a legacy wording found neither in
// the shared corpus nor in a published reference.
const unattributedNotFound = "unattributed: in no message of the shared corpus, no published reference verified; carried over from the Go tables"

func TestRules_attributeFromCorpus(t *testing.T) {
	if !*attribute {
		t.Skip("run with -provenance to rewrite the legacy sources of rules/*.tsv")
	}
	msgs, ok := loadCorpus(t)
	if !ok {
		t.Skip("../shared/corpus is absent")
	}
	files, err := filepath.Glob("rules/*.tsv")
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		for i, ln := range lines {
			cols := strings.Split(ln, "\t")
			if strings.HasPrefix(ln, "#") || len(cols) != 6 || (strings.TrimSpace(cols[5]) != sourceLegacy && strings.TrimSpace(cols[5]) != unattributedNotFound) {
				continue
			}
			match := strings.TrimPrefix(cols[3], "!")
			switch {
			case match == "-":
				cols[5] = unattributedNoWording
				count["no wording"]++
			case strings.HasPrefix(match, "status:"), strings.HasPrefix(match, "code:"):
				count["code, by hand"]++
				continue
			default:
				p, err := parsePattern(match)
				if err != nil {
					t.Fatalf("%s:%d: %v", f, i+1, err)
				}
				if names := holds(msgs, &p); len(names) > 0 {
					cols[5] = corpusSource(names)
					count["corpus"]++
				} else {
					cols[5] = unattributedNotFound
					count["not found"]++
				}
			}
			lines[i] = strings.Join(cols, "\t")
		}
		if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("lines looked up: %v", count)
}

// TestRules_everyLineHasProvenance checks that no line of the built-in
// rules is of unrecorded origin and that every corpus message a line
// names is in the shared corpus (when it is present).
func TestRules_everyLineHasProvenance(t *testing.T) {
	lines, err := builtinLines()
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) == 0 {
		t.Fatal("no built-in rules")
	}
	var present map[string]bool
	if _, err := os.Stat(corpusDir); err == nil {
		present = map[string]bool{}
		for _, folder := range corpusFolders {
			ents, err := os.ReadDir(filepath.Join(corpusDir, folder))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ents {
				present[e.Name()] = true
			}
		}
	} else {
		t.Run("corpus messages exist", func(t *testing.T) {
			t.Skip("../shared/corpus is absent: the corpus messages the sources name are not checked")
		})
	}
	problems, corpus, unattributed := provenanceProblems(lines, present)
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("%d lines: %d cite a corpus message, %d unattributed", len(lines), corpus, unattributed)
	if unattributed > maxUnattributed {
		t.Errorf("%d lines are unattributed, more than the %d of the last count: a new line must say where it comes from", unattributed, maxUnattributed)
	}
}

// maxUnattributed is how many built-in lines were unattributed at the
// last count. It may only go down: lower it when lines are attributed.
const maxUnattributed = 4

// provenanceProblems lists what is wrong with the sources of lines: a
// legacy source, an unattributed one without a reason, a corpus: source
// of another form or naming a message not in present (nil: not checked).
// It also counts the lines citing a corpus message and the unattributed.
func provenanceProblems(lines []line, present map[string]bool) (problems []string, corpus, unattributed int) {
	for _, l := range lines {
		src := l.source
		switch {
		case src == sourceLegacy || strings.HasPrefix(src, sourceLegacy+":") || strings.HasPrefix(src, sourceLegacy+" "):
			problems = append(problems, fmt.Sprintf("%s:%d: source %q: say where the line comes from (or unattributed: why)", l.file, l.n, src))
		case strings.HasPrefix(src, sourceDesign):
			if strings.TrimSpace(strings.TrimPrefix(src, sourceDesign)) == "" {
				problems = append(problems, fmt.Sprintf("%s:%d: source %q: write design: WHY", l.file, l.n, src))
			}
		case strings.HasPrefix(src, "unattributed"):
			unattributed++
			if why := strings.TrimSpace(strings.TrimPrefix(src, sourceUnattributed)); !strings.HasPrefix(src, sourceUnattributed) || why == "" {
				problems = append(problems, fmt.Sprintf("%s:%d: source %q: write unattributed: WHY", l.file, l.n, src))
			}
		case strings.HasPrefix(src, "corpus:"):
			corpus++
			name, ok := corpusFile(src)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s:%d: source %q: want corpus:sisimai/FILE (+N more) or corpus:FILE", l.file, l.n, src))
				continue
			}
			if present != nil && !present[name] && !present[name+".eml"] {
				problems = append(problems, fmt.Sprintf("%s:%d: source %q names %s, which is not in %s", l.file, l.n, src, name, corpusDir))
			}
		}
	}
	return problems, corpus, unattributed
}

func TestProvenanceProblems(t *testing.T) {
	const head = "text\t390\tmailbox_full\tpiena\t-\t"
	present := map[string]bool{"lhost-exim-01.eml": true, "lhost-postfix-46.eml": true}
	for _, c := range []struct {
		source string
		bad    bool
	}{
		{"Exim appendfile transport", false},
		{"corpus:sisimai/lhost-exim-01.eml (+2 more)", false},
		{"corpus:lhost-postfix-46", false},
		{"unattributed: in no message of the shared corpus", false},
		{"legacy", true},
		{"unattributed:", true},
		{"unattributed", true},
		{"corpus:sisimai/lhost-nowhere-99.eml", true},
		{"corpus:sisimai/a b.eml", true},
	} {
		ls, err := parseLines(strings.NewReader(head+c.source+"\n"), "t.tsv", false)
		if err != nil {
			t.Fatalf("%q: %v", c.source, err)
		}
		problems, _, _ := provenanceProblems(ls, present)
		if bad := len(problems) > 0; bad != c.bad {
			t.Errorf("source %q: problems %q, want bad=%v", c.source, problems, c.bad)
		}
	}
}

// corpusFile is the file a corpus: source names.
func corpusFile(src string) (string, bool) {
	s := strings.TrimPrefix(src, "corpus:")
	if i := strings.Index(s, " (+"); i >= 0 {
		if !strings.HasSuffix(s, " more)") {
			return "", false
		}
		s = s[:i]
	}
	s = strings.TrimPrefix(s, "sisimai/")
	if s == "" || strings.ContainsAny(s, " /\t") {
		return "", false
	}
	return s, true
}

func TestCorpusFile(t *testing.T) {
	for _, c := range []struct {
		src, want string
		ok        bool
	}{
		{"corpus:sisimai/lhost-exim-01.eml", "lhost-exim-01.eml", true},
		{"corpus:sisimai/lhost-exim-01.eml (+4 more)", "lhost-exim-01.eml", true},
		{"corpus:lhost-postfix-46", "lhost-postfix-46", true},
		{"corpus:sisimai/a b.eml", "", false},
		{"corpus:sisimai/x.eml (+4", "", false},
		{"corpus:", "", false},
	} {
		got, ok := corpusFile(c.src)
		if got != c.want || ok != c.ok {
			t.Errorf("corpusFile(%q) = %q, %v; want %q, %v", c.src, got, ok, c.want, c.ok)
		}
	}
}

// TestRules_designIsForConditionsOnly checks that a design: source is
// accepted only on a rule of conditions (no wording) and must say why.
func TestRules_designIsForConditionsOnly(t *testing.T) {
	const refine = "refine\t100\tfiltered\t-\tfrom=user_unknown\t"
	if _, err := parseLines(strings.NewReader("text\t390\tmailbox_full\tpiena\t-\tdesign: a choice\n"), "t.tsv", false); err == nil || !strings.Contains(err.Error(), "rules of conditions only") {
		t.Errorf("design: on a wording: err = %v, want it refused", err)
	}
	ls, err := parseLines(strings.NewReader(refine+"design: classify/doc.go, refine\n"), "t.tsv", false)
	if err != nil {
		t.Fatalf("design: on a rule of conditions: %v", err)
	}
	if problems, _, _ := provenanceProblems(ls, nil); len(problems) > 0 {
		t.Errorf("design: WHY: problems %q, want none", problems)
	}
	ls, err = parseLines(strings.NewReader(refine+"design:\n"), "t.tsv", false)
	if err != nil {
		t.Fatal(err)
	}
	if problems, _, _ := provenanceProblems(ls, nil); len(problems) == 0 {
		t.Error("design: without a why: no problem reported")
	}
	if cited("design: classify/doc.go") {
		t.Error("cited(design: ...) = true: a project's own decision is not a citation")
	}
}
