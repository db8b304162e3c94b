// Package rawstore keeps the raw bytes of every report message handled,
// for a configured number of days, in a content-addressed store on disk:
// each message is one zstd-compressed file named by the SHA-256 of its
// bytes (dir/ab/abcdef....zst), written to a temporary file, synced and
// renamed into place, so that a reader never sees a partial file and a
// message stored twice is one file. The suppression record and the event
// carry the hash (their "raw" field), and the API serves the message by it.
//
// Sweep deletes the files whose last store is older than the retention:
// storing a message again refreshes its time.
package rawstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"
)

// DefaultRetention is how long messages are kept when Options.Retention
// is zero.
const DefaultRetention = 30 * 24 * time.Hour

// suffix ends every stored file's name.
const suffix = ".zst"

var (
	// ErrNotFound is returned by Open for a hash the store does not hold
	// (never stored, or swept).
	ErrNotFound = errors.New("rawstore: not found")
	// ErrInvalid is returned for a string that is not a SHA-256 hex hash.
	ErrInvalid = errors.New("rawstore: invalid hash")
	// ErrCorrupt is returned by Read when a file's content does not match
	// its name.
	ErrCorrupt = errors.New("rawstore: content does not match its hash")
)

// Options configure a Store.
type Options struct {
	// Dir is the store's directory; it is created when missing.
	Dir string
	// Retention is how long a message is kept after it was last stored
	// (DefaultRetention when zero).
	Retention time.Duration
	// Log receives the sweeper's lines; nil discards.
	Log *slog.Logger
}

// Store is a content-addressed store of raw messages. It is safe for
// concurrent use.
type Store struct {
	dir       string
	retention time.Duration
	log       *slog.Logger
	now       func() time.Time

	encOnce sync.Once
	enc     *zstd.Encoder
	dec     *zstd.Decoder
	encErr  error
}

// New opens (creating it if needed) the store in o.Dir.
func New(o Options) (*Store, error) {
	if o.Dir == "" {
		return nil, errors.New("rawstore: no directory")
	}
	if err := os.MkdirAll(o.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("rawstore: %w", err)
	}
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return &Store{dir: o.Dir, retention: o.Retention, log: o.Log, now: time.Now}, nil
}

// Hash returns the name raw is stored under: the hex SHA-256 of its bytes.
func Hash(raw []byte) string {
	h := sha256.Sum256(raw)
	return hex.EncodeToString(h[:])
}

func (s *Store) codecs() error {
	s.encOnce.Do(func() {
		s.enc, s.encErr = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
		if s.encErr == nil {
			s.dec, s.encErr = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
		}
	})
	return s.encErr
}

// path returns the file of hash, after checking its form.
func (s *Store) path(hash string) (string, error) {
	if len(hash) != 2*sha256.Size {
		return "", fmt.Errorf("%w: %q", ErrInvalid, hash)
	}
	if _, err := hex.DecodeString(hash); err != nil || hash != strings.ToLower(hash) {
		return "", fmt.Errorf("%w: %q", ErrInvalid, hash)
	}
	return filepath.Join(s.dir, hash[:2], hash+suffix), nil
}

// Put stores raw and returns its hash. Storing a message already held
// only refreshes its time. The file is complete on disk (synced) when Put
// returns; any error means the message is not kept, and is worth a retry
// (a full or read-only disk).
func (s *Store) Put(ctx context.Context, raw []byte) (string, error) {
	hash := Hash(raw)
	p, _ := s.path(hash)
	now := s.now()
	if err := os.Chtimes(p, now, now); err == nil {
		return hash, nil
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("rawstore: put: %w", err)
	}
	if err := s.codecs(); err != nil {
		return "", fmt.Errorf("rawstore: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return "", fmt.Errorf("rawstore: put: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("rawstore: put: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename, a no-op
	data := s.enc.EncodeAll(raw, make([]byte, 0, len(raw)/3+64))
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", fmt.Errorf("rawstore: put: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", fmt.Errorf("rawstore: put: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("rawstore: put: %w", err)
	}
	if err := os.Chtimes(tmp, now, now); err != nil {
		return "", fmt.Errorf("rawstore: put: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return "", fmt.Errorf("rawstore: put: %w", err)
	}
	if d, err := os.Open(filepath.Dir(p)); err == nil {
		d.Sync() // the rename itself; best effort where directories cannot be synced
		d.Close()
	}
	return hash, nil
}

// Read returns the message stored under hash, checked against it.
func (s *Store) Read(hash string) ([]byte, error) {
	p, err := s.path(hash)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, hash)
	}
	if err != nil {
		return nil, fmt.Errorf("rawstore: read %s: %w", hash, err)
	}
	if err := s.codecs(); err != nil {
		return nil, fmt.Errorf("rawstore: %w", err)
	}
	raw, err := s.dec.DecodeAll(data, nil)
	if err != nil {
		return nil, fmt.Errorf("rawstore: read %s: %w: %w", hash, ErrCorrupt, err)
	}
	if Hash(raw) != hash {
		return nil, fmt.Errorf("rawstore: read %s: %w", hash, ErrCorrupt)
	}
	return raw, nil
}

// Open returns a reader of the message stored under hash.
func (s *Store) Open(hash string) (io.Reader, error) {
	raw, err := s.Read(hash)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(raw), nil
}

// Sweep deletes the messages last stored more than the retention ago, and
// the temporary files of interrupted writes, and returns how many
// messages it deleted.
func (s *Store) Sweep(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-s.retention)
	n := 0
	err := filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // gone meanwhile
		}
		name := d.Name()
		switch {
		case filepath.Ext(name) == suffix && info.ModTime().Before(cutoff):
			if err := os.Remove(p); err == nil {
				n++
			}
		case len(name) > 5 && name[:5] == ".tmp-" && info.ModTime().Before(s.now().Add(-time.Hour)):
			os.Remove(p)
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("rawstore: sweep: %w", err)
	}
	if n > 0 {
		s.log.InfoContext(ctx, "rawstore: expired messages deleted", "count", n)
	}
	return n, nil
}

// Run sweeps every interval until ctx ends. It recovers from a panic of
// a sweep and logs it.
func (s *Store) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = time.Hour
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		func() {
			defer func() {
				if r := recover(); r != nil {
					s.log.Error("rawstore: sweep panicked", "panic", fmt.Sprint(r))
				}
			}()
			if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("rawstore: sweep failed", "error", err)
			}
		}()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }
