package rawstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStore_putReadSweep(t *testing.T) {
	dir := t.TempDir()
	s, err := New(Options{Dir: dir, Retention: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	raw := []byte("From: MAILER-DAEMON\r\nSubject: Undelivered\r\n\r\n" + strings.Repeat("550 5.1.1 no such user\r\n", 200))
	h, err := s.Put(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	if h != Hash(raw) || len(h) != 64 {
		t.Fatalf("Put() = %q, want %q", h, Hash(raw))
	}
	p := filepath.Join(dir, h[:2], h+".zst")
	info, err := os.Stat(p)
	if err != nil {
		t.Fatalf("stored file: %v", err)
	}
	if info.Size() >= int64(len(raw)) {
		t.Errorf("stored %d bytes for %d: not compressed", info.Size(), len(raw))
	}
	got, err := s.Read(h)
	if err != nil || string(got) != string(raw) {
		t.Fatalf("Read() = %d bytes, %v", len(got), err)
	}
	if h2, err := s.Put(ctx, raw); err != nil || h2 != h {
		t.Fatalf("Put() again = %q, %v", h2, err)
	}
	if _, err := s.Read(strings.Repeat("0", 64)); !errors.Is(err, ErrNotFound) {
		t.Errorf("Read(unknown) = %v, want ErrNotFound", err)
	}
	for _, bad := range []string{"../../etc/passwd", strings.Repeat("Z", 64), strings.ToUpper(h)} {
		if _, err := s.Read(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("Read(%q) = %v, want ErrInvalid", bad, err)
		}
	}
	// A file whose content does not match its name is refused.
	other, _ := s.Put(ctx, []byte("another message"))
	data, _ := os.ReadFile(filepath.Join(dir, other[:2], other+".zst"))
	os.WriteFile(p, data, 0o640)
	if _, err := s.Read(h); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Read(swapped) = %v, want ErrCorrupt", err)
	}
	s.Put(ctx, raw) // refreshes the time only: still the swapped content
	os.Remove(p)
	if _, err := s.Put(ctx, raw); err != nil {
		t.Fatal(err)
	}

	// Sweep: a message older than the retention goes, a fresh one stays.
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(filepath.Join(dir, other[:2], other+".zst"), old, old)
	os.WriteFile(filepath.Join(dir, h[:2], ".tmp-123"), []byte("partial"), 0o640)
	os.Chtimes(filepath.Join(dir, h[:2], ".tmp-123"), old, old)
	n, err := s.Sweep(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Sweep() = %d, %v; want 1", n, err)
	}
	if _, err := s.Read(other); !errors.Is(err, ErrNotFound) {
		t.Errorf("Read(swept) = %v, want ErrNotFound", err)
	}
	if _, err := s.Read(h); err != nil {
		t.Errorf("Read(fresh) after sweep: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, h[:2], ".tmp-123")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file kept: %v", err)
	}
}

func TestStore_putReadOnlyDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only directories")
	}
	dir := t.TempDir()
	s, _ := New(Options{Dir: dir})
	os.Chmod(dir, 0o500)
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	if _, err := s.Put(context.Background(), []byte("x")); err == nil {
		t.Fatal("Put() in a read-only directory succeeded")
	}
}
