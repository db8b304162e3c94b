package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
)

// TestWithLazy: withLazy's logger writes what log.With's writes, at every
// level and through further With and WithGroup.
func TestWithLazy(t *testing.T) {
	for name, mk := range map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler {
			return slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: noTime})
		},
		"json": func(b *bytes.Buffer) slog.Handler {
			return slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: noTime})
		},
	} {
		var want, got bytes.Buffer
		args := []any{"mailbox", "shop", "uid", uint32(7), "message_key", "0123456789ab"}
		for _, c := range []struct {
			buf *bytes.Buffer
			log *slog.Logger
		}{{&want, slog.New(mk(&want)).With(args...)}, {&got, withLazy(slog.New(mk(&got)), args...)}} {
			l := c.log
			l.Debug("not written", "a", 1)
			l.Info("recipient", "recipient", "a@example.net", "hard", true)
			l.Warn("quarantined", "error", "bad")
			l.With("k", "v").Info("with")
			l.WithGroup("g").Info("group", "x", 1)
			l.WithGroup("g").With("y", 2).Error("group with")
			if l.Enabled(context.Background(), slog.LevelDebug) {
				t.Errorf("%s: debug enabled", name)
			}
		}
		if got.String() != want.String() {
			t.Errorf("%s: withLazy wrote\n%s\nlog.With wrote\n%s", name, got.String(), want.String())
		}
		if want.Len() == 0 {
			t.Errorf("%s: nothing written", name)
		}
	}
	discard := slog.New(slog.DiscardHandler)
	if withLazy(discard, "a", 1) != discard {
		t.Error("withLazy of a discarding logger is not the logger")
	}
}

func noTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
