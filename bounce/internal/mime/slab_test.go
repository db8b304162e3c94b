package mime

import (
	"testing"
)

const slabMessage = "From: a@example.com\nTo: b@example.com\nSubject: s\nContent-Type: multipart/report; boundary=B\n\n" +
	"--B\nContent-Type: text/plain\nX-One: 1\n\nhello\n" +
	"--B\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n" +
	"--B\nContent-Type: message/rfc822\n\nFrom: c@example.com\nSubject: t\n\nbody\n--B--\n"

// TestParse_headerSlab checks that the parts' headers, taken from one
// slab (newHeader), are each their own: an append to one never writes
// into the next part's, and each part reads its own fields.
func TestParse_headerSlab(t *testing.T) {
	for _, shared := range []bool{false, true} {
		mp := &Parser{MaxDepth: 10, MaxParts: 100, Shared: shared}
		root := mp.Parse([]byte(slabMessage), 0, nil, "text/plain")
		if len(root.Children) != 3 {
			t.Fatalf("shared %v: %d parts, want 3", shared, len(root.Children))
		}
		for _, h := range []Header{root.Header, root.Children[0].Header, root.Children[1].Header} {
			if cap(h) != len(h) {
				t.Errorf("shared %v: a header of %d fields has capacity %d: an append would write into the slab", shared, len(h), cap(h))
			}
		}
		_ = append(root.Header, Field{Key: "x", Value: "y"})
		_ = append(root.Children[0].Header, Field{Key: "x", Value: "y"})
		if got := root.Children[0].Header.Get("x-one"); got != "1" {
			t.Errorf("shared %v: first part's X-One = %q, want 1", shared, got)
		}
		if got := root.Children[1].Header.Get("content-type"); got != "message/delivery-status" || len(root.Children[1].Header) != 1 {
			t.Errorf("shared %v: second part's header = %q", shared, root.Children[1].Header)
		}
		if got := root.Header.Get("subject"); got != "s" || len(root.Header) != 4 {
			t.Errorf("shared %v: top header = %q", shared, root.Header)
		}
		for i, c := range root.Children {
			if c.Parent != root || c.Depth != 1 {
				t.Errorf("shared %v: part %d: parent %p depth %d", shared, i, c.Parent, c.Depth)
			}
		}
		msg := root.Children[2]
		if len(msg.Children) != 1 || cap(msg.Children) != 1 || msg.Children[0].Parent != msg || msg.Children[0].Fields().Get("subject") != "t" {
			t.Errorf("shared %v: attached message's part = %+v", shared, msg.Children)
		}
	}
}

// TestParse_allocs bounds the allocations of parsing slabMessage: one
// slab of header fields, the parts of the multipart and the attached
// message together (a regression to one allocation per part or per
// header shows).
func TestParse_allocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's own allocations count in AllocsPerRun (make test runs -race; go test ./bounce/internal/mime checks the bound)")
	}
	raw := []byte(slabMessage)
	n := testing.AllocsPerRun(50, func() {
		mp := &Parser{MaxDepth: 10, MaxParts: 100, Shared: true}
		mp.Parse(raw, 0, nil, "text/plain")
	})
	// The root, the slab of header fields, the string of X-One's
	// lowered name, the room for the three parts and the attached
	// message with their lists (takeParts): 4 (12 with a part and a
	// header each).
	if n > 4 {
		t.Errorf("Parse: %v allocations, want at most 4", n)
	}
	t.Logf("%v allocations", n)
}

// TestNewParts checks that newParts gives n zero parts and an empty
// list of room n whatever n, and that appending n pointers to the list
// does not move it.
func TestNewParts(t *testing.T) {
	for n := 1; n <= 6; n++ {
		parts, list := newParts(n)
		if len(parts) != n || len(list) != 0 || cap(list) != n {
			t.Fatalf("newParts(%d) = %d parts, list %d/%d", n, len(parts), len(list), cap(list))
		}
		first := &list[:1][0]
		for i := range parts {
			if parts[i].MediaType != "" || parts[i].Header != nil {
				t.Fatalf("newParts(%d): part %d not zero", n, i)
			}
			list = append(list, &parts[i])
		}
		if &list[0] != first || len(list) != n {
			t.Errorf("newParts(%d): the list moved when filled", n)
		}
	}
}

// TestParser_Reuse checks that a Parser given Reuse parses the next
// message as a new Parser does, in the room the last one used: its
// parts and fields zero again first.
func TestParser_Reuse(t *testing.T) {
	raw := []byte(slabMessage)
	want := (&Parser{MaxDepth: 10, MaxParts: 100, Shared: true}).Parse(raw, 0, nil, "text/plain")
	mp := &Parser{MaxDepth: 10, MaxParts: 100, Shared: true}
	var root Part
	mp.ParseInto(&root, []byte("Subject: first\nContent-Type: multipart/mixed; boundary=X\n\n--X\n\none\n--X\nContent-Type: message/rfc822\n\nSubject: in\n\nbody\n--X--\n"), 0, nil, "text/plain")
	first := &mp.parts[0]
	mp.Reuse()
	for i := range mp.parts[:cap(mp.parts)] {
		if p := &mp.parts[:cap(mp.parts)][i]; p.Header != nil || p.Raw != nil || p.Children != nil || p.Parent != nil {
			t.Fatalf("part %d not cleared by Reuse", i)
		}
	}
	mp.MaxDepth, mp.MaxParts, mp.Shared = 10, 100, true
	root = Part{}
	mp.ParseInto(&root, raw, 0, nil, "text/plain")
	if &mp.parts[0] != first {
		t.Error("the parts were not taken from the room the last message used")
	}
	var walk func(a, b *Part, path string)
	walk = func(a, b *Part, path string) {
		if a.MediaType != b.MediaType || string(a.Raw) != string(b.Raw) || len(a.Children) != len(b.Children) || len(a.Fields()) != len(b.Fields()) {
			t.Fatalf("%s: %q %q, want %q %q", path, a.MediaType, a.Raw, b.MediaType, b.Raw)
		}
		for i := range a.Fields() {
			if a.Fields()[i] != b.Fields()[i] {
				t.Fatalf("%s: field %d %v, want %v", path, i, a.Fields()[i], b.Fields()[i])
			}
		}
		for i := range a.Children {
			walk(a.Children[i], b.Children[i], path+"/"+string(rune('0'+i)))
		}
	}
	walk(&root, want, "root")
}
