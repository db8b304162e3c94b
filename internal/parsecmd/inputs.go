// Package parsecmd implements `bounced parse`: it reads message files,
// directories (Maildir included), mbox files and standard input, decodes
// every message and prints one classified record per recipient as
// ../shared/CONTRACT.md specifies.
package parsecmd

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// item is one message to decode.
type item struct {
	source string
	raw    []byte
	// tooLarge marks an mbox message cut at the size limit.
	tooLarge bool
}

// expand lists the files of the inputs in order: a file as itself, a
// directory as every regular file below it in lexical order. Hidden files
// and the index files of Maildir servers are skipped.
func expand(paths []string) ([]string, []error) {
	var files []string
	var errs []error
	for _, p := range paths {
		if p == "-" {
			files = append(files, p)
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("parse: %w", err))
			continue
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, fmt.Errorf("parse: %w", err))
				return nil
			}
			name := d.Name()
			if d.IsDir() {
				if path != p && strings.HasPrefix(name, ".") && !isMaildirFolder(name) {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() || skipFile(name) {
				return nil
			}
			found = append(found, path)
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("parse: %s: %w", p, err))
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, errs
}

// isMaildirFolder reports whether a dot-directory is a Maildir++ folder
// (".Sent", ".Archive.2024") rather than a hidden directory like ".git".
func isMaildirFolder(name string) bool {
	switch name {
	case ".git", ".svn", ".hg", ".cache":
		return false
	}
	return len(name) > 1
}

func skipFile(name string) bool {
	if strings.HasPrefix(name, ".") {
		return true
	}
	lower := strings.ToLower(name)
	for _, p := range []string{"dovecot", "maildirfolder", "courierimap", "subscriptions", "maildirsize"} {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}

// readMessages reads one input file (or "-") and sends its messages to
// emit: one for a message file, one per message for an mbox.
func readMessages(path string, stdin io.Reader, maxSize int64, emit func(item)) error {
	var r io.Reader
	if path == "-" {
		r = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("parse: %w", err)
		}
		defer f.Close()
		r = f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(5)
	if string(head) == "From " && !crOnly(br) {
		return readMbox(path, br, maxSize, emit)
	}
	raw, err := io.ReadAll(io.LimitReader(br, maxSize+1))
	if err != nil {
		return fmt.Errorf("parse: read %s: %w", path, err)
	}
	emit(item{source: path, raw: raw})
	return nil
}

// readMbox splits an mbox (mboxrd, mboxo: RFC 4155) at its "From " lines
// and unquotes ">From " lines. Messages are numbered from 1: path#N.
//
// Memory is bounded by maxSize whatever the input: lines are read in
// pieces of at most the reader's buffer, a message is kept only while it
// is within maxSize, and one that grows past it is dropped at once and
// reported as too large (its item has no data), the messages after it
// being read as usual.
func readMbox(path string, br *bufio.Reader, maxSize int64, emit func(item)) error {
	n := 0
	var cur bytes.Buffer
	started := false
	over := false
	prevBlank := true
	lineStart := true  // the next piece starts a line
	fromLine := false  // the pieces of an envelope line are being skipped
	pieceBlank := true // the line so far is empty
	// QUIRK: a single message saved with its envelope "From " line is an
	// mbox of one: it keeps its plain path as source. The first message is
	// held back until a second one shows the file is a real mbox.
	var first *item
	flush := func() {
		if !started {
			return
		}
		n++
		var raw []byte
		if !over {
			raw = cur.Bytes() // handed over: cur starts a new buffer
		}
		it := item{source: fmt.Sprintf("%s#%d", path, n), raw: raw, tooLarge: over}
		cur = bytes.Buffer{}
		over = false
		switch n {
		case 1:
			first = &it
		case 2:
			emit(*first)
			first = nil
			fallthrough
		default:
			emit(it)
		}
	}
	defer func() {
		if first != nil {
			first.source = path
			emit(*first)
		}
	}()
	for {
		// A piece is a whole line, or the part of a long line that fills
		// the buffer (bufio.ErrBufferFull), or the end of the input.
		piece, err := br.ReadSlice('\n')
		if len(piece) > 0 {
			if lineStart {
				fromLine = false
				pieceBlank = true
				if bytes.HasPrefix(piece, []byte("From ")) && prevBlank {
					flush()
					started = true
					fromLine = true
				} else if started {
					if q := bytes.TrimLeft(piece, ">"); len(q) < len(piece) && bytes.HasPrefix(q, []byte("From ")) {
						piece = piece[1:]
					}
				}
			}
			if started && !fromLine && !over {
				if int64(cur.Len()+len(piece)) <= maxSize {
					cur.Write(piece)
				} else {
					over = true
					cur = bytes.Buffer{} // let the memory go now
				}
			}
			if len(bytes.TrimRight(piece, "\r\n")) > 0 {
				pieceBlank = false
			}
			lineStart = piece[len(piece)-1] == '\n'
			if lineStart {
				prevBlank = pieceBlank
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			flush()
			return fmt.Errorf("parse: read %s: %w", path, err)
		}
	}
	flush()
	return nil
}

// crOnly reports whether the input's first line ends with a lone CR: a
// message saved with old Mac line endings, whose envelope "From " line does
// not make it an mbox (there are no LF-delimited lines to split at).
// QUIRK: such files are read whole; bounce.Decode drops the "From " line.
func crOnly(br *bufio.Reader) bool {
	head, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(head, '\r'); i >= 0 {
		return i+1 < len(head) && head[i+1] != '\n' && bytes.IndexByte(head[:i], '\n') < 0
	}
	return false
}
