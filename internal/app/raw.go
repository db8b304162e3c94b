package app

import (
	"context"
	"fmt"
	"time"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/httpapi"
	"github.com/bounced-dev/bounced/internal/pipeline"
	"github.com/bounced-dev/bounced/internal/rawstore"
	"github.com/bounced-dev/bounced/internal/reprocess"
)

// rawSweepInterval is how often expired raw messages are deleted.
const rawSweepInterval = time.Hour

// openRaw opens the raw store when raw.dir is set.
func (a *App) openRaw() error {
	if a.cfg.Raw.Dir == "" {
		return nil
	}
	days := a.cfg.Raw.RetentionDays
	if days == 0 {
		days = 30
	}
	s, err := rawstore.New(rawstore.Options{Dir: a.cfg.Raw.Dir, Retention: time.Duration(days) * 24 * time.Hour,
		Log: a.log.With("component", "rawstore")})
	if err != nil {
		return fmt.Errorf("app: raw.dir: %w", err)
	}
	a.raw = s
	return nil
}

// rawKeeper is the pipeline's raw store, nil when none is configured.
func (a *App) rawKeeper() pipeline.RawKeeper {
	if a.raw == nil {
		return nil
	}
	return a.raw
}

// rawReader is the API's raw store, nil when none is configured.
func (a *App) rawReader() httpapi.RawReader {
	if a.raw == nil {
		return nil
	}
	return a.raw
}

// reprocessor decodes kept raw messages again with the daemon's decoder
// options and rules; nil without a raw store.
func (a *App) reprocessor() httpapi.Reprocessor {
	if a.raw == nil || a.store == nil {
		return nil
	}
	cfg := a.cfg
	var cls *classify.Classifier
	if cfg.Classify.RulesFile != "" {
		rules, err := classify.LoadRulesFile(cfg.Classify.RulesFile)
		if err != nil {
			a.log.Error("reprocess: classify.rules_file", "error", err)
			return nil
		}
		cls = classify.New(rules)
	}
	return reprocess.New(reprocess.Options{Store: a.store, Raw: a.raw, Classifier: cls,
		Decode: bounce.Options{MaxSize: cfg.Decode.MaxSize, MaxDepth: cfg.Decode.MaxDepth, VERP: cfg.Decode.VERP},
		Log:    a.log.With("component", "reprocess")})
}

// rawSweepLoop deletes raw messages past their retention until ctx ends.
func (a *App) rawSweepLoop(ctx context.Context) {
	if a.raw == nil {
		return
	}
	defer a.recoverPanic("raw sweep")
	a.raw.Run(ctx, rawSweepInterval)
}
