package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// floor is what a transform must keep: the figures on the perturbed copies
// of the messages it applies to (percent, as the scorer prints them).
type floor struct {
	applies                           int
	recipient, reason, category, hard float64
}

// robustFloors are the figures measured on 2026-12-03 with
//
//	go test ./cmd/bounced -run TestRobust -v
//
// (corrected labels, as TestCorpusAccuracy), after the decoder and rule
// fixes that the first measurement led to (README, Accuracy, has the
// figures before them). They may only be raised; applies is the number
// of messages the transform changed, which may not fall either.
// no-diagnostic, no-dsn, generic-status and flat were raised the same day
// after robust3's fixes (README, TestRobust).
var robustFloors = map[string]floor{
	"no-diagnostic":   {167, 100.00, 96.49, 98.25, 98.25},
	"no-dsn":          {162, 100.00, 96.39, 98.80, 97.59},
	"reencode-base64": {452, 99.79, 96.50, 98.35, 98.55},
	"reencode-qp":     {431, 99.78, 96.77, 98.49, 98.71},
	"rewrap":          {257, 99.64, 97.09, 98.18, 98.53},
	"rename":          {464, 100.00, 95.79, 97.80, 97.98},
	"generic-status":  {145, 100.00, 94.12, 97.39, 97.39},
	// the structure transforms, measured 2026-12-03 before their fixes;
	// dsn-only raised 2026-12-03 by classify's stage wordings
	// (61-stage.tsv: lhost-postfix-46's "Recipient address rejected",
	// lhost-sendmail-27's "... User unknown" keep user_unknown without
	// the text part's command)
	"dsn-only":        {182, 100.00, 92.55, 96.28, 97.34},
	"no-original":     {243, 100.00, 95.65, 97.63, 97.63},
	"flat":            {202, 100.00, 95.19, 97.60, 98.08},
	"reboundary":      {303, 99.69, 96.30, 97.84, 97.84},
	"reorder-headers": {465, 99.80, 96.40, 98.40, 98.59},
	// the byte-level transforms (perturb_bytes_test.go), measured
	// 2026-12-03 (metamorph2); html after HTMLToText's and text()'s fixes
	"crlf":           {465, 99.80, 96.40, 98.40, 98.59},
	"mbox":           {465, 99.80, 96.40, 98.40, 98.59},
	"lower-fields":   {465, 99.80, 96.40, 98.40, 98.59},
	"8bit":           {32, 100.00, 93.75, 96.88, 96.55},
	"transcode":      {34, 100.00, 100.00, 100.00, 100.00},
	"refold":         {455, 99.80, 96.33, 98.37, 98.56},
	"trailing-space": {458, 99.80, 96.55, 98.38, 98.57},
	"encoded-words":  {465, 99.80, 96.40, 98.40, 98.59},
	"dsn-spacing":    {247, 100.00, 96.09, 98.05, 98.05},
	"html":           {295, 99.68, 96.49, 98.40, 98.06},
	"mime-case":      {374, 99.75, 96.47, 98.24, 98.22},
	"relayed":        {448, 99.79, 96.48, 98.34, 98.54},
}

// TestRobust measures how well bounced generalises: it writes perturbed
// copies of the labelled corpus (perturb_test.go: each transform keeps
// the meaning a human reads and changes one thing of the MIME structure
// or wording), scores `bounced parse` on the messages each transform
// applies to, beside the score of the same messages unperturbed, and fails
// when a transform's figures fall below its floor.
func TestRobust(t *testing.T) {
	score, bin := scorerAndBinary(t)
	corpus, err := filepath.Abs(filepath.Join(sharedDir, "corpus", "sisimai"))
	if err != nil {
		t.Fatal(err)
	}
	labels, _ := correctedLabels(t, corpus, loadCorrections(t))
	paths := make([]string, 0, len(labels))
	for p := range labels {
		paths = append(paths, p)
	}
	sort.Strings(paths)

	show := "0"
	if testing.Verbose() {
		show = "60"
	}
	var table []string
	for _, tr := range transforms {
		t.Run(tr.name, func(t *testing.T) {
			pert, orig := t.TempDir(), t.TempDir()
			if keep := os.Getenv("ROBUST_KEEP"); keep != "" {
				// ROBUST_KEEP=DIR keeps the copies in DIR/NAME and DIR/NAME.orig
				pert, orig = filepath.Join(keep, tr.name), filepath.Join(keep, tr.name+".orig")
			}
			pl, ol := map[string]any{}, map[string]any{}
			for _, p := range paths {
				recs := labels[p]
				if len(recs) == 0 || (notEligible[tr.name] != nil && notEligible[tr.name](recs)) {
					continue
				}
				b, err := os.ReadFile(filepath.Join(corpus, p))
				if err != nil {
					t.Fatal(err)
				}
				var rcpts []string
				for _, r := range recs {
					s, _ := r["recipient"].(string)
					rcpts = append(rcpts, s)
				}
				nb, ren, ok := tr.apply(b, rcpts)
				if !ok {
					continue
				}
				var nrecs []map[string]any
				for _, r := range recs {
					c := map[string]any{}
					for k, v := range r {
						c[k] = v
					}
					if s, _ := c["recipient"].(string); ren[strings.ToLower(s)] != "" {
						c["recipient"] = ren[strings.ToLower(s)]
					}
					nrecs = append(nrecs, c)
				}
				writeTestFile(t, filepath.Join(pert, p), nb)
				writeTestFile(t, filepath.Join(orig, p), b)
				pl[p], ol[p] = nrecs, recs
			}
			writeLabels(t, filepath.Join(pert, "labels.json"), pl)
			writeLabels(t, filepath.Join(orig, "labels.json"), ol)
			before, _ := runScore(t, score, orig, bin, "0")
			after, out := runScore(t, score, pert, bin, show)
			row := fmt.Sprintf("| %s | %d | %s | %s |", tr.name, len(pl), figures(before), figures(after))
			table = append(table, row)
			t.Logf("%s (%s): %d messages\n  unperturbed %s\n  perturbed   %s", tr.name, tr.doc, len(pl), figures(before), figures(after))
			if testing.Verbose() {
				t.Logf("misses:\n%s", misses(out))
			}
			f, ok := robustFloors[tr.name]
			if !ok {
				t.Errorf("no floor for %s", tr.name)
				return
			}
			if len(pl) < f.applies {
				t.Errorf("%s applies to %d messages, fewer than the %d it was measured on: the transform changed", tr.name, len(pl), f.applies)
			}
			for _, m := range []struct {
				name      string
				got, want float64
			}{{"recipient", after["recipient"], f.recipient}, {"reason", after["reason"], f.reason},
				{"category", after["category"], f.category}, {"hard", after["hard"], f.hard}} {
				if m.got+1e-9 < m.want {
					t.Errorf("%s: %s %.2f%% below its floor %.2f%%", tr.name, m.name, m.got, m.want)
				}
			}
		})
	}
	t.Logf("| transform | messages | unperturbed recipient/reason/category/hard | perturbed |\n%s", strings.Join(table, "\n"))
}

func writeTestFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeLabels(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, path, b)
}

var scoreFigure = regexp.MustCompile(`(?m)^(recipient|reason|category|hard)\s+([\d.]+)%`)

// runScore scores dir with the scorer and returns its figures (percent).
func runScore(t *testing.T, score, dir, bin, show string) (map[string]float64, string) {
	t.Helper()
	out, _ := exec.Command("python3", score, dir, "--bin", bin, "--show", show).CombinedOutput()
	m := map[string]float64{}
	for _, f := range scoreFigure.FindAllStringSubmatch(string(out), -1) {
		m[f[1]], _ = strconv.ParseFloat(f[2], 64)
	}
	if len(m) != 4 {
		t.Fatalf("score %s: no figures in\n%s", dir, out)
	}
	return m, string(out)
}

func figures(m map[string]float64) string {
	return fmt.Sprintf("%.2f / %.2f / %.2f / %.2f", m["recipient"], m["reason"], m["category"], m["hard"])
}

func misses(out string) string {
	var ls []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "miss:") {
			ls = append(ls, l)
		}
	}
	return strings.Join(ls, "\n")
}
