package mime

import (
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// checkPeek fails t unless PeekHeader(b) agrees with ParseHeader(b): the
// same body, as many fields, Get's value for each key, and the block
// parsed again giving the same Header.
func checkPeek(t *testing.T, b []byte) {
	t.Helper()
	h, body := ParseHeader(b)
	keys := []string{"content-type", "subject", "from", "to", "message-id", "return-path", "x-a", "received", "nope"}
	for _, f := range h {
		keys = append(keys, f.Key)
	}
	vals := make([]string, len(keys))
	block, pbody, n := PeekHeader(b, keys, vals)
	if n != len(h) || len(pbody) != len(body) || (len(body) > 0 && &pbody[0] != &body[0]) {
		t.Fatalf("PeekHeader(%q) = %d fields, body %q; ParseHeader: %d fields, body %q", b, n, pbody, len(h), body)
	}
	for i, k := range keys {
		if want := h.Get(k); vals[i] != want {
			t.Fatalf("PeekHeader(%q) %s = %q, want %q", b, k, vals[i], want)
		}
	}
	cvals := make([]string, len(keys))
	cblock, cn := PeekHeaderCopy(b, keys, cvals)
	if cn != n || cblock != string(block) || !reflect.DeepEqual(cvals, vals) {
		t.Fatalf("PeekHeaderCopy(%q) = %q, %d, %q; PeekHeader: %q, %d, %q", b, cblock, cn, cvals, block, n, vals)
	}
	again, _ := ParseHeader(block)
	if len(h) == 0 && len(again) == 0 {
		return
	}
	if !reflect.DeepEqual(again, h) {
		t.Fatalf("ParseHeader(block of %q) = %q, want %q", b, again, h)
	}
}

func TestPeekHeader_asParseHeader(t *testing.T) {
	cases := []string{"", "\n", "body only\n", "Subject: a\n\nbody", "Subject: a\nSubject: b\n", "Subject:  a  \n \tb  \n\nx",
		"X-A: 1\nFrom mbox line\n  stray continuation  \nX-A: 2\n\n", "From: a\n \n\nbody", "Content-Type: text/plain;\n\tcharset=utf-8\n\n",
		"SUBJECT : x\nx-a:\n\n", "To: a\xc2\xa0\n\xc2\xa0\nbody", "Bad Name: x\n", "X: 1\nno colon here\n\tcont\n\n"}
	alphabet := []string{"Subject", "X-A", "to", ":", " ", "\t", "\n", "\n\n", "v", "From x", "\xc2\xa0", "=?utf-8?q?x?=", "é"}
	r := rand.New(rand.NewSource(3))
	for n := 0; n < 5000; n++ {
		var b strings.Builder
		for k := r.Intn(30); k > 0; k-- {
			b.WriteString(alphabet[r.Intn(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, c := range cases {
		checkPeek(t, []byte(c))
	}
	// And every part of the labelled corpus beside the project, if any.
	dir := filepath.Join("..", "..", "..", "..", "shared", "corpus", "sisimai")
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		raw, _ := os.ReadFile(p)
		raw = NormalizeNewlines(raw)
		mp := &Parser{MaxDepth: 20, MaxParts: 1000}
		mp.Parse(raw, 0, nil, "text/plain").Walk(func(q *Part) bool {
			checkPeek(t, q.Raw)
			if b, ok := q.HeaderBlock(); ok {
				checkPeek(t, b)
			}
			return true
		})
		checkPeek(t, raw)
		return nil
	})
}

func FuzzPeekHeader(f *testing.F) {
	f.Add([]byte("Subject: a\n b\nX: 1\nstray\n cont\n\nbody"))
	f.Fuzz(func(t *testing.T, b []byte) { checkPeek(t, NormalizeNewlines(b)) })
}
