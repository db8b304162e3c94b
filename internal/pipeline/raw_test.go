package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/bounced-dev/bounced/internal/mailbox"
	"github.com/bounced-dev/bounced/internal/rawstore"
	"github.com/bounced-dev/bounced/internal/suppress"
)

func TestHandle_keepsRawAndLinksIt(t *testing.T) {
	s := newStack(t)
	raws, err := rawstore.New(rawstore.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s.pipe.opts.Raw = raws
	ctx := context.Background()
	m := sample(t, "hard-bounce.eml")
	if d, err := s.pipe.Handle(ctx, m); err != nil || d != mailbox.Processed {
		t.Fatalf("Handle() = %v, %v", d, err)
	}
	want := rawstore.Hash(m.Raw)
	rec, err := s.store.Get(ctx, "hanako.typo@example.net")
	if err != nil || rec.Raw != want {
		t.Fatalf("record raw = %q, %v; want %q", rec.Raw, err, want)
	}
	got, err := raws.Read(rec.Raw)
	if err != nil || string(got) != string(m.Raw) {
		t.Fatalf("raw store holds %d bytes, %v; want the message", len(got), err)
	}
	for _, ev := range s.events(t) {
		if ev.Raw != want {
			t.Errorf("event %s raw = %q, want %q", ev.Type, ev.Raw, want)
		}
	}
	hist, err := s.store.History(ctx, "hanako.typo@example.net")
	if err != nil || len(hist) != 1 || hist[0].Raw != want || hist[0].Reason != "user_unknown" {
		t.Errorf("history = %+v, %v", hist, err)
	}
	st, err := s.store.Stats(ctx, suppress.StatsOptions{Since: m.InternalDate, Until: m.InternalDate})
	if err != nil || len(st) != 1 || st[0].Category["user_unknown"] != 1 || st[0].Domain["example.net"] != 1 || st[0].Suppressed != 1 {
		t.Errorf("stats = %+v, %v", st, err)
	}
}

func TestHandle_rawStoreFailureIsTransient(t *testing.T) {
	s := newStack(t)
	dir := filepath.Join(t.TempDir(), "raw")
	raws, err := rawstore.New(rawstore.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	// The store's directory becomes a file: every write fails.
	os.RemoveAll(dir)
	os.WriteFile(dir, []byte("not a directory"), 0o600)
	s.pipe.opts.Raw = raws
	ctx := context.Background()
	_, err = s.pipe.Handle(ctx, sample(t, "hard-bounce.eml"))
	var out *mailbox.OutageError
	if !errors.As(err, &out) {
		t.Fatalf("Handle() error = %v, want a *mailbox.OutageError", err)
	}
	if _, err := s.store.Get(ctx, "hanako.typo@example.net"); !errors.Is(err, suppress.ErrNotFound) {
		t.Errorf("record after a failed raw write: %v, want none", err)
	}
	if n := len(s.events(t)); n != 0 {
		t.Errorf("%d events after a failed raw write, want 0", n)
	}
	// The disk is back: the message goes through.
	os.Remove(dir)
	if d, err := s.pipe.Handle(ctx, sample(t, "hard-bounce.eml")); err != nil || d != mailbox.Processed {
		t.Fatalf("Handle() after repair = %v, %v", d, err)
	}
}
