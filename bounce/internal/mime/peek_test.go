package mime

import (
	"bufio"
	"bytes"
	"io/fs"
	"math/rand"
	"net/textproto"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// checkPeek fails t unless PeekHeader(b) agrees with ParseHeader(b): the
// same body, as many fields, Get's value for each key, and the block
// parsed again giving the same Header; and unless their shared forms
// (Parser.Shared) agree with them.
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
	// The shared forms (Parser.Shared) read the same fields.
	sh, sbody := parseHeader(b, true, nil)
	if len(sbody) != len(body) || !reflect.DeepEqual(sh, h) {
		t.Fatalf("parseHeader(%q, shared) = %q, body %q; ParseHeader: %q, body %q", b, sh, sbody, h, body)
	}
	svals := make([]string, len(keys))
	sblock, _, sn := peekHeader(b, keys, svals, true)
	if sn != n || string(sblock) != string(block) || !reflect.DeepEqual(svals, vals) {
		t.Fatalf("peekHeader(%q, shared) = %q, %d, %q; PeekHeader: %q, %d, %q", b, sblock, sn, svals, block, n, vals)
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

// FuzzParseHeader_textproto checks the shared ParseHeader (Parser.Shared)
// against net/textproto on the headers textproto reads without error:
// the same fields in the same order, values equal once white space runs
// are made one space (textproto unfolds a continuation line into one
// space, ParseHeader keeps its white space: RFC 5322 section 2.2.3).
func FuzzParseHeader_textproto(f *testing.F) {
	f.Add([]byte("Subject: a\n b\nX-A: 1\nx-a:  2 \n\nbody"))
	f.Add([]byte("Received: from x\n\tby y; Mon\nFrom: <a@b>\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		b = NormalizeNewlines(b)
		if !bytes.Contains(b, []byte("\n\n")) {
			return // textproto wants the blank line
		}
		for _, l := range strings.Split(string(b[:bytes.Index(b, []byte("\n\n"))]), "\n") {
			if l != "" && strings.TrimSpace(l) == "" {
				return // a white-space line ends ParseHeader's header, not textproto's
			}
		}
		tp, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(b))).ReadMIMEHeader()
		if err != nil || len(tp) == 0 {
			return
		}
		// Keys as ParseHeader holds them: lower-case, without the white
		// space textproto keeps before a colon.
		byKey := map[string][]string{}
		for k, vs := range tp {
			k = strings.ToLower(strings.TrimRight(k, " \t"))
			if !IsFieldName([]byte(k)) {
				return // RFC 5322 names only: ParseHeader skips a line with another as stray
			}
			byKey[k] = append(byKey[k], vs...)
		}
		if len(byKey) != len(tp) {
			return // "A:" and "A :" both: their order is lost
		}
		h, _ := parseHeader(b, true, nil)
		norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
		seen := map[string]int{}
		n := 0
		for _, f := range h {
			ck := f.Key
			vs := byKey[ck]
			i := seen[ck]
			if i >= len(vs) {
				t.Fatalf("%q: ParseHeader has %s #%d, textproto %q", b, f.Key, i, vs)
			}
			if got, want := norm(f.Value), norm(vs[i]); got != want {
				t.Fatalf("%q: %s #%d = %q, textproto %q", b, f.Key, i, got, want)
			}
			seen[ck]++
			n++
		}
		total := 0
		for _, vs := range tp {
			total += len(vs)
		}
		if n != total {
			t.Fatalf("%q: ParseHeader has %d fields, textproto %d", b, n, total)
		}
	})
}

// TestPeeked: Part.Peeked holds, for the parts inside attached messages
// of the corpus, what their header's Get returns for the PeekKeys.
func TestPeeked(t *testing.T) {
	keys := []string{"message-id", "from", "return-path", "to", "subject", "x-absent"}
	dir := filepath.Join("..", "..", "..", "..", "shared", "corpus", "sisimai")
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		raw, _ := os.ReadFile(p)
		raw = NormalizeNewlines(raw)
		for _, shared := range []bool{false, true} {
			mp := &Parser{MaxDepth: 20, MaxParts: 1000, PeekKeys: keys, Shared: shared}
			mp.Parse(raw, 0, nil, "text/plain").Walk(func(q *Part) bool {
				if !q.InsideMessage() {
					if q.Peeked() != nil {
						t.Errorf("%s: Peeked outside an attached message", p)
					}
					return true
				}
				h := q.Fields()
				if len(h) == 0 {
					return true
				}
				n++
				for i, k := range keys {
					if got, want := q.Peeked()[i], h.Get(k); got != want {
						t.Errorf("%s: Peeked %s = %q, Get %q", p, k, got, want)
					}
				}
				return true
			})
		}
		return nil
	})
	t.Logf("%d parts", n)
}
