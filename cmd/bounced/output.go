package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/mattn/go-isatty"

	"github.com/bounced-dev/bounced/internal/parsecmd"
)

// Output formats of the commands that print records. Without --format a
// command prints a table when its standard output is a terminal, and JSON
// lines (one JSON object a line) otherwise; `suppressions show`, which
// prints one object, prints it as indented JSON instead. Tables are for
// people: every cell is passed through parsecmd.Printable, since bounce
// text is written by whoever sent the bounce. JSON keeps the text exact
// (encoding/json escapes every control character); CSV keeps it exact too,
// but for a terminal, where it is made printable as tables are.
const (
	formatTable = "table"
	formatJSON  = "json"
	formatJSONL = "jsonl"
	formatCSV   = "csv"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// outputFormat returns the format to print in: format when given (one of
// allowed), else table on a terminal and def otherwise.
func outputFormat(w io.Writer, format, def string, allowed ...string) (string, error) {
	if format == "" {
		if isTerminal(w) {
			return formatTable, nil
		}
		return def, nil
	}
	if !slices.Contains(allowed, format) {
		return "", fmt.Errorf("--format %q: want %s", format, strings.Join(allowed, ", "))
	}
	return format, nil
}

// writeTable writes rows under header, columns padded to the display width
// of their widest cell (two cells for a full-width character), every cell
// made printable.
func writeTable(w io.Writer, header []string, rows [][]string) {
	all := make([][]string, 0, len(rows)+1)
	all = append(all, header)
	for _, r := range rows {
		clean := make([]string, len(r))
		for i, c := range r {
			clean[i] = parsecmd.Printable(c)
		}
		all = append(all, clean)
	}
	widths := make([]int, len(header))
	for _, r := range all {
		for i, c := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], displayWidth(c))
			}
		}
	}
	var b strings.Builder
	for _, r := range all {
		b.Reset()
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// csvWriter writes CSV records to w, made printable when w is a terminal.
type csvWriter struct {
	cw        *csv.Writer
	printable bool
}

func newCSVWriter(w io.Writer) *csvWriter {
	return &csvWriter{cw: csv.NewWriter(w), printable: isTerminal(w)}
}

func (c *csvWriter) write(rec []string) error {
	if c.printable {
		clean := make([]string, len(rec))
		for i, v := range rec {
			clean[i] = parsecmd.Printable(v)
		}
		rec = clean
	}
	return c.cw.Write(rec)
}

func (c *csvWriter) flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

// writeList writes items in format: one JSON object {key: items} (an empty
// list, never null), JSON lines, CSV under header, or a table under the
// header upper-cased. row gives an item's cells; table says the row is for
// the table (times in local time, say).
func writeList[T any](w io.Writer, format, key string, items []T, header []string, row func(item T, table bool) []string) {
	switch format {
	case formatJSON:
		if items == nil {
			items = []T{}
		}
		writeJSON(w, map[string]any{key: items})
	case formatJSONL:
		enc := newJSONL(w)
		for _, it := range items {
			enc.Encode(it)
		}
	case formatCSV:
		cw := newCSVWriter(w)
		cw.write(header)
		for _, it := range items {
			cw.write(row(it, false))
		}
		cw.flush()
	default:
		rows := make([][]string, 0, len(items))
		for _, it := range items {
			rows = append(rows, row(it, true))
		}
		writeTable(w, upper(header), rows)
	}
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// newJSONL returns an encoder of JSON lines.
func newJSONL(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// printableWriter passes what is written through parsecmd.Printable line by
// line, keeping the line breaks: for data written as it is (an export)
// when it goes to a terminal.
type printableWriter struct {
	w    io.Writer
	line []byte
}

func (p *printableWriter) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			p.line = append(p.line, b...)
			break
		}
		p.line = append(p.line, b[:i]...)
		if _, err := io.WriteString(p.w, parsecmd.Printable(string(p.line))+"\n"); err != nil {
			return 0, err
		}
		p.line = p.line[:0]
		b = b[i+1:]
	}
	return n, nil
}

// Close writes what is left of the last line.
func (p *printableWriter) Close() error {
	if len(p.line) == 0 {
		return nil
	}
	_, err := io.WriteString(p.w, parsecmd.Printable(string(p.line)))
	p.line = nil
	return err
}
