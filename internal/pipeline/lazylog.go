package pipeline

import (
	"context"
	"log/slog"
	"sync"
)

// withLazy returns log.With(args...) whose handler adds the attributes
// only when a record is handled: Handle makes one such logger per message,
// and most messages log nothing at the daemon's usual levels, where
// log.With formats its attributes at once. What it writes is what
// log.With(args...) writes.
func withLazy(log *slog.Logger, args ...any) *slog.Logger {
	h := log.Handler()
	if h == slog.DiscardHandler {
		return log
	}
	return slog.New(&lazyHandler{h: h, args: args})
}

// lazyHandler is h.WithAttrs of args, made when first needed.
type lazyHandler struct {
	h    slog.Handler
	args []any
	once sync.Once
	made slog.Handler
}

func (l *lazyHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return l.h.Enabled(ctx, level)
}

func (l *lazyHandler) Handle(ctx context.Context, r slog.Record) error {
	return l.with().Handle(ctx, r)
}

func (l *lazyHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return l.with().WithAttrs(as)
}

func (l *lazyHandler) WithGroup(name string) slog.Handler {
	return l.with().WithGroup(name)
}

// with is the handler slog.Logger.With(l.args...) would have made.
func (l *lazyHandler) with() slog.Handler {
	l.once.Do(func() { l.made = slog.New(l.h).With(l.args...).Handler() })
	return l.made
}
