package bounce_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/record"
)

var zooUpdate = flag.Bool("zoo-update", false, "rewrite the golden .json files of testdata/zoo/ (not those of known misses); review the diff by hand")

// zooVerdict is what a zoo golden file pins down: the verdict a human read
// from the message, the same fields `bounced parse` prints.
type zooVerdict struct {
	Kind       string    `json:"kind"`
	Format     string    `json:"format"`
	Recipients []zooRcpt `json:"recipients"`
}

type zooRcpt struct {
	Kind      string `json:"kind"`
	Address   string `json:"address"`
	Action    string `json:"action"`
	Status    string `json:"status"`
	ReplyCode string `json:"reply_code"`
	Reason    string `json:"reason"`
	Category  string `json:"category"`
	Hard      bool   `json:"hard"`
}

// zooKnownMisses are zoo messages whose golden (the right answer) the code
// does not give yet, keyed by "mta/case", with why. The test checks that
// each still differs from its golden, so that a fix shows here and its
// entry is removed.
var zooKnownMisses = map[string]string{}

// TestZoo decodes and classifies every message of testdata/zoo/<mta>/,
// bounces made by real MTAs with scripts/zoo/make-zoo.sh, and compares the
// verdict with the golden file beside it.
func TestZoo(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "zoo", "*", "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/zoo/*/*.eml")
	}
	var msgs, kindOK, rcpts, rcptOK int
	for _, f := range files {
		mta := filepath.Base(filepath.Dir(f))
		name := mta + "/" + strings.TrimSuffix(filepath.Base(f), ".eml")
		golden := strings.TrimSuffix(f, ".eml") + ".json"
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got := zooDecode(f, raw)
		_, known := zooKnownMisses[name]
		_, statErr := os.Stat(golden)
		if *zooUpdate && (!known || statErr != nil) {
			// A known miss keeps its golden: it is the right answer,
			// written by hand.
			b, _ := json.MarshalIndent(got, "", "  ")
			if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: missing golden (run with -zoo-update and check it by hand): %v", name, err)
			continue
		}
		var want zooVerdict
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%s: %v", golden, err)
		}
		msgs++
		if got.Kind == want.Kind {
			kindOK++
		}
		rcpts += len(want.Recipients)
		for _, w := range want.Recipients {
			for _, g := range got.Recipients {
				if g.Address == w.Address {
					rcptOK++
					break
				}
			}
		}
		same := zooEqual(got, want)
		switch {
		case known && same:
			t.Errorf("%s: known miss (%s) now decodes to its golden: remove it from zooKnownMisses", name, zooKnownMisses[name])
		case !known && !same:
			gb, _ := json.MarshalIndent(got, "", "  ")
			t.Errorf("%s: got\n%s\nwant\n%s", name, gb, b)
		}
	}
	for name := range zooKnownMisses {
		if _, err := os.Stat(filepath.Join("testdata", "zoo", name+".eml")); err != nil {
			t.Errorf("known miss %s has no message: %v", name, err)
		}
	}
	if msgs > 0 && rcpts > 0 {
		t.Logf("zoo: %d messages, kind %d/%d (%.1f%%), recipients %d/%d (%.1f%%), %d known misses",
			msgs, kindOK, msgs, 100*float64(kindOK)/float64(msgs), rcptOK, rcpts, 100*float64(rcptOK)/float64(rcpts), len(zooKnownMisses))
	}
}

// zooDecode gives the verdict of `bounced parse` for one message.
func zooDecode(path string, raw []byte) zooVerdict {
	rep, err := bounce.DecodeBytes(raw, nil)
	recs := record.FromReport(path, rep, err)
	v := zooVerdict{Recipients: []zooRcpt{}}
	if rep != nil {
		v.Kind, v.Format = string(rep.Kind), rep.Format
	}
	for _, r := range recs {
		if r.Recipient == "" {
			if v.Kind == "" {
				v.Kind = r.Kind
			}
			continue
		}
		v.Recipients = append(v.Recipients, zooRcpt{Kind: r.Kind, Address: r.Recipient, Action: r.Action, Status: r.Status,
			ReplyCode: r.ReplyCode, Reason: r.Reason, Category: r.Category, Hard: r.Hard})
	}
	return v
}

// zooEqual compares two verdicts, their recipients in any order: an MTA
// may list them in a different order on every run (OpenSMTPD does).
func zooEqual(a, b zooVerdict) bool {
	x, _ := json.Marshal(zooSorted(a))
	y, _ := json.Marshal(zooSorted(b))
	return bytes.Equal(x, y)
}

func zooSorted(v zooVerdict) zooVerdict {
	v.Recipients = slices.Clone(v.Recipients)
	slices.SortStableFunc(v.Recipients, func(a, b zooRcpt) int { return strings.Compare(a.Address, b.Address) })
	return v
}

// zooNoticeOnly are zoo messages whose human-readable notice does not name
// their recipients the way the DSN part does, so TestZooWithoutDSN cannot
// ask the same of them; with why.
var zooNoticeOnly = map[string]string{
	"sendmail/prog-tempfail-delayed": "Sendmail's delay warning has no list of addresses and its transcript names only the program (\"|/path\"... Deferred), not the alias it was expanded from; only the DSN does",
}

// TestZooWithoutDSN removes the message/delivery-status part from every
// zoo message that has one and checks that the decoders still find each
// recipient and what happened to it (failed, delayed, delivered) from the
// notice alone, as they must for the same MTAs' older versions and for
// bounces that a relay rewrote without the part.
func TestZooWithoutDSN(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "zoo", "*", "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f)) + "/" + strings.TrimSuffix(filepath.Base(f), ".eml")
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		stripped, ok := zooStripDSN(raw)
		if !ok {
			continue
		}
		n++
		b, err := os.ReadFile(strings.TrimSuffix(f, ".eml") + ".json")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var want zooVerdict
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		got := zooSorted(zooDecode(f, stripped))
		want = zooSorted(want)
		var w, g []string
		for _, r := range want.Recipients {
			w = append(w, r.Address+" "+r.Kind)
		}
		for _, r := range got.Recipients {
			g = append(g, r.Address+" "+r.Kind)
		}
		same := strings.Join(w, ",") == strings.Join(g, ",")
		why, excused := zooNoticeOnly[name]
		switch {
		case excused && same:
			t.Errorf("%s without its DSN part now decodes right (%s): remove it from zooNoticeOnly", name, why)
		case !excused && !same:
			t.Errorf("%s without its DSN part: recipients %q, want %q", name, g, w)
		}
	}
	if n == 0 {
		t.Fatal("no zoo message has a message/delivery-status part")
	}
}

var zooDSNPart = regexp.MustCompile(`(?im)^content-type:[ \t]*message/delivery-status`)

// zooStripDSN returns raw without its top-level message/delivery-status
// part, and whether it had one.
func zooStripDSN(raw []byte) ([]byte, bool) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, false
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return nil, false
	}
	delim := []byte("\n--" + params["boundary"])
	parts := bytes.Split(raw, delim)
	keep := parts[:1]
	found := false
	for _, p := range parts[1:] {
		head := p
		if i := bytes.Index(p, []byte("\n\n")); i >= 0 {
			head = p[:i]
		}
		if i := bytes.Index(p, []byte("\r\n\r\n")); i >= 0 && i < len(head) {
			head = p[:i]
		}
		if zooDSNPart.Match(head) {
			found = true
			continue
		}
		keep = append(keep, p)
	}
	return bytes.Join(keep, delim), found
}
