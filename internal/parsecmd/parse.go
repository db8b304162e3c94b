package parsecmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/internal/record"
)

// Options configure Run.
type Options struct {
	// Format is jsonl, json or table; "" picks table on a terminal and
	// jsonl otherwise.
	Format string
	// Decode are the decoder's options (limits, VERP patterns).
	Decode bounce.Options
	// Workers decode in parallel (default GOMAXPROCS); output keeps the
	// input order.
	Workers int
	// Progress draws a progress bar on Stderr; "" decides by whether
	// Stderr is a terminal and the input is large.
	Progress *bool
	// RulesFile is an operator's classifier rules file added to the
	// built-in rules (classify.LoadRulesFile); "" for none.
	RulesFile string
	Stdin     io.Reader
	Stdout    io.Writer
	Stderr    io.Writer
}

// Run decodes every message of paths and prints the records. It returns
// the process exit status: 0, or 1 when an input could not be read at all,
// or 2 for a usage error.
func Run(ctx context.Context, paths []string, o Options) int {
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	if o.Stdout == nil {
		o.Stdout = os.Stdout
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	if o.Format == "" {
		o.Format = "jsonl"
		if isTerminal(o.Stdout) {
			o.Format = "table"
		}
	}
	var out writer
	switch o.Format {
	case "jsonl":
		out = &jsonlWriter{enc: newEncoder(o.Stdout)}
	case "json":
		out = &jsonWriter{w: o.Stdout}
	case "table":
		out = newTableWriter(o.Stdout)
	default:
		fmt.Fprintf(o.Stderr, "bounced parse: unknown format %q (want jsonl, json or table)\n", o.Format)
		return 2
	}
	var cls *classify.Classifier
	if o.RulesFile != "" {
		rules, err := classify.LoadRulesFile(o.RulesFile)
		if err != nil {
			fmt.Fprintf(o.Stderr, "bounced parse: %v\n", err)
			return 2
		}
		cls = classify.New(rules)
	}
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	files, errs := expand(paths)
	status := 0
	for _, err := range errs {
		fmt.Fprintln(o.Stderr, printable(err.Error()))
		status = 1
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	dopts := o.Decode
	maxSize := dopts.MaxSize
	if maxSize <= 0 {
		maxSize = bounce.DefaultMaxSize
	}
	var bar *progress
	if (o.Progress != nil && *o.Progress) || (o.Progress == nil && isTerminal(o.Stderr) && len(files) >= 200) {
		bar = newProgress(o.Stderr, len(files))
	}

	type job struct {
		it   item
		done chan []record.Record
	}
	jobs := make(chan *job, workers*4)
	ordered := make(chan *job, workers*4)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.done <- decodeItem(j.it, &dopts, cls)
			}
		}()
	}
	go func() {
		defer close(ordered)
		defer close(jobs)
		for fi, f := range files {
			if ctx.Err() != nil {
				return
			}
			err := readMessages(f, o.Stdin, maxSize, func(it item) {
				j := &job{it: it, done: make(chan []record.Record, 1)}
				ordered <- j
				jobs <- j
			})
			if err != nil {
				fmt.Fprintln(o.Stderr, printable(err.Error()))
				status = 1
			}
			if bar != nil {
				bar.set(fi + 1)
			}
		}
	}()
	for j := range ordered {
		recs := <-j.done
		for _, r := range recs {
			if r.Error != "" {
				fmt.Fprintf(o.Stderr, "bounced parse: %s: %s\n", printable(r.Source), printable(r.Error))
			}
			if err := out.write(r); err != nil {
				fmt.Fprintf(o.Stderr, "bounced parse: write: %v\n", err)
				return 1
			}
		}
	}
	wg.Wait()
	if bar != nil {
		bar.finish()
	}
	if err := out.close(); err != nil {
		fmt.Fprintf(o.Stderr, "bounced parse: write: %v\n", err)
		return 1
	}
	return status
}

func decodeItem(it item, o *bounce.Options, cls *classify.Classifier) (recs []record.Record) {
	defer func() {
		if p := recover(); p != nil {
			recs = record.FromReport(it.source, nil, fmt.Errorf("bounce: decoder panic: %v", p))
		}
	}()
	if it.tooLarge {
		return record.FromReport(it.source, nil, fmt.Errorf("%w", bounce.ErrTooLarge))
	}
	rep, err := bounce.DecodeBytes(it.raw, o)
	return record.FromReportWith(cls, it.source, rep, err)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
