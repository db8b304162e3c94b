package parsecmd

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/bounced-dev/bounced/internal/record"
)

type writer interface {
	write(record.Record) error
	close() error
}

// jsonlWriter prints one JSON object per line.
type jsonlWriter struct{ enc *json.Encoder }

func (w *jsonlWriter) write(r record.Record) error { return w.enc.Encode(r) }
func (w *jsonlWriter) close() error                { return nil }

// jsonWriter prints one JSON array of every record.
type jsonWriter struct {
	w    io.Writer
	recs []record.Record
}

func (w *jsonWriter) write(r record.Record) error { w.recs = append(w.recs, r); return nil }
func (w *jsonWriter) close() error {
	if w.recs == nil {
		w.recs = []record.Record{}
	}
	b, err := json.MarshalIndent(w.recs, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w.w, "%s\n", b)
	return err
}

// tableWriter prints aligned columns for people, with every control
// character and escape sequence of the bounce text removed (see printable).
type tableWriter struct {
	bw *bufio.Writer
	tw *tabwriter.Writer
	n  int
}

func newTableWriter(w io.Writer) *tableWriter {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tKIND\tRECIPIENT\tSTATUS\tREASON\tHARD\tFORMAT\tDIAGNOSTIC")
	return &tableWriter{bw: bw, tw: tw}
}

func (w *tableWriter) write(r record.Record) error {
	w.n++
	hard := ""
	if r.Hard {
		hard = "hard"
	}
	diag := r.Diagnostic
	if r.Error != "" {
		diag = r.Error
	}
	// Every field may come from the bounce (the source from a file name):
	// printable strips what a terminal would obey.
	p := printable
	_, err := fmt.Fprintf(w.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", clip(p(r.Source), 40), p(r.Kind), p(r.Recipient),
		p(r.Status), p(r.Reason), hard, p(r.Format), clip(p(diag), 70))
	if w.n%200 == 0 {
		w.tw.Flush()
	}
	return err
}

func (w *tableWriter) close() error {
	if err := w.tw.Flush(); err != nil {
		return err
	}
	return w.bw.Flush()
}

// clip shortens s to n runes, keeping the end of paths and the start of text.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	if strings.ContainsRune(s, '/') && !strings.ContainsRune(s, ' ') {
		return "…" + string(r[len(r)-n+1:])
	}
	return string(r[:n-1]) + "…"
}

// progress draws a bar on a terminal: files done of total, rate, time left.
type progress struct {
	w     io.Writer
	total int
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, start: time.Now()}
}

func (p *progress) set(done int) {
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && done < p.total {
		return
	}
	p.last = now
	const width = 30
	filled := width * done / max(p.total, 1)
	rate := float64(done) / max(now.Sub(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d files %.0f/s ", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, p.total, rate)
}

func (p *progress) finish() { fmt.Fprint(p.w, "\r\033[K") }
