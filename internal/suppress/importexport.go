package suppress

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/classify"
	"github.com/bounced-dev/bounced/outcome"
)

// File formats of Import and Export.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
)

// Column sets of Export (Import reads any of them, by the header).
const (
	// ColumnsBounced are the store's own: address, scope, reason,
	// category, kind, hard, suppressed_at, expires_at, note, status,
	// diagnostic, carrier, raw.
	ColumnsBounced = "bounced"
	// ColumnsSES are Amazon SES's suppression list: EmailAddress, Reason
	// (BOUNCE or COMPLAINT), LastUpdateTime.
	ColumnsSES = "ses"
	// ColumnsMailgun are Mailgun's bounces list: address, code, error,
	// created_at.
	ColumnsMailgun = "mailgun"
)

// importBatch is how many rows Import adds per script call.
const importBatch = 500

// maxRefusedListed is how many refused rows an ImportReport lists.
const maxRefusedListed = 1000

// maxImportLine bounds one JSONL line.
const maxImportLine = 64 << 10

// ImportOptions configure Import.
type ImportOptions struct {
	// Format is FormatCSV or FormatJSONL.
	Format string
	// Actor is who imports, for the audit trail.
	Actor string
	// Note is kept on every record imported.
	Note string
}

// ImportReport says what Import did.
type ImportReport struct {
	// Rows is how many data rows were read.
	Rows int `json:"rows"`
	// Added, Widened, Extended and Unchanged count the rows by AddResult
	// status; importing the same file again gives only Unchanged.
	Added     int `json:"added"`
	Widened   int `json:"widened"`
	Extended  int `json:"extended"`
	Unchanged int `json:"unchanged"`
	// Refused counts the rows not imported; RefusedRows lists the first
	// maxRefusedListed with the reason.
	Refused     int          `json:"refused"`
	RefusedRows []RefusedRow `json:"refused_rows"`
	// Columns is the column set the header was read as.
	Columns string `json:"columns"`
}

// RefusedRow is one row Import refused.
type RefusedRow struct {
	// Line is the row's line (CSV: record number, the header being 1).
	Line    int    `json:"line"`
	Address string `json:"address,omitempty"`
	Error   string `json:"error"`
}

func (r *ImportReport) refuse(line int, addr, why string) {
	r.Refused++
	if len(r.RefusedRows) < maxRefusedListed {
		r.RefusedRows = append(r.RefusedRows, RefusedRow{Line: line, Address: addr, Error: why})
	}
}

// importRow is one row as read, by column name (lower-cased).
type importRow struct {
	line int
	f    map[string]string
}

// Import reads suppressions from r, streaming, and adds them as Add does
// (idempotent: a row already in the store changes nothing). CSV files need
// a header; JSONL lines are objects. The columns may be the store's own
// (address, reason, scope, note, expires_at, suppressed_at), SES's
// (EmailAddress, Reason BOUNCE|COMPLAINT, LastUpdateTime) or Mailgun's
// (address, code, error, created_at: the code and error are classified).
// A row that cannot be used is refused and reported, the others are
// imported; the error is for an unreadable file or a Redis failure. One
// audit entry records the import.
func (s *Store) Import(ctx context.Context, r io.Reader, o ImportOptions) (*ImportReport, error) {
	rep := &ImportReport{RefusedRows: []RefusedRow{}}
	var next func() (importRow, error)
	switch o.Format {
	case FormatCSV, "":
		cr := csv.NewReader(bufio.NewReaderSize(r, 64<<10))
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		cr.TrimLeadingSpace = true
		head, err := cr.Read()
		if err != nil {
			return nil, fmt.Errorf("%w: import: csv header: %w", ErrInvalid, err)
		}
		cols := make([]string, len(head))
		for i, h := range head {
			cols[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		}
		line := 1
		next = func() (importRow, error) {
			rec, err := cr.Read()
			line++
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) && !errors.Is(pe.Err, csv.ErrFieldCount) {
					return importRow{line: line}, fmt.Errorf("%w: %w", errBadRow, err)
				}
				return importRow{}, err
			}
			m := make(map[string]string, len(cols))
			for i, v := range rec {
				if i < len(cols) {
					m[cols[i]] = strings.TrimSpace(v)
				}
			}
			return importRow{line: line, f: m}, nil
		}
	case FormatJSONL:
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), maxImportLine)
		line := 0
		next = func() (importRow, error) {
			for sc.Scan() {
				line++
				b := strings.TrimSpace(sc.Text())
				if b == "" {
					continue
				}
				var obj map[string]any
				if err := json.Unmarshal([]byte(b), &obj); err != nil {
					return importRow{line: line}, fmt.Errorf("%w: not a JSON object", errBadRow)
				}
				m := make(map[string]string, len(obj))
				for k, v := range obj {
					switch v := v.(type) {
					case string:
						m[strings.ToLower(k)] = strings.TrimSpace(v)
					case float64:
						m[strings.ToLower(k)] = strconv.FormatFloat(v, 'f', -1, 64)
					case bool:
						m[strings.ToLower(k)] = strconv.FormatBool(v)
					}
				}
				return importRow{line: line, f: m}, nil
			}
			if err := sc.Err(); err != nil {
				return importRow{}, err
			}
			return importRow{}, io.EOF
		}
	default:
		return nil, fmt.Errorf("%w: import: format %q: want %q or %q", ErrInvalid, o.Format, FormatCSV, FormatJSONL)
	}

	// The store's work overlaps the reading: one goroutine applies the
	// batches in order (so that a later row for an address wins), while
	// this one reads and checks the next.
	type job struct {
		adds  []Addition
		lines []int
	}
	jobs := make(chan job, 2)
	done := make(chan struct{})
	stored := &ImportReport{}
	var werr error
	var failed atomic.Bool
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				werr = fmt.Errorf("suppress: import: panic: %v", r)
				failed.Store(true)
				for range jobs {
				}
			}
		}()
		for j := range jobs {
			if failed.Load() {
				continue
			}
			res, err := s.add(ctx, o.Actor, j.adds, false)
			if err != nil {
				werr = err
				failed.Store(true)
				continue
			}
			for i, r := range res {
				switch r.Status {
				case AddAdded:
					stored.Added++
				case AddWidened:
					stored.Widened++
				case AddExtended:
					stored.Extended++
				case AddUnchanged:
					stored.Unchanged++
				default:
					stored.refuse(j.lines[i], j.adds[i].Address, r.Error)
				}
			}
		}
	}()
	finish := func() error {
		close(jobs)
		<-done
		rep.Added, rep.Widened, rep.Extended, rep.Unchanged = stored.Added, stored.Widened, stored.Extended, stored.Unchanged
		rep.Refused += stored.Refused
		for _, r := range stored.RefusedRows {
			if len(rep.RefusedRows) < maxRefusedListed {
				rep.RefusedRows = append(rep.RefusedRows, r)
			}
		}
		return werr
	}
	batch := make([]Addition, 0, importBatch)
	lines := make([]int, 0, importBatch)
	for !failed.Load() {
		row, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errBadRow) {
			rep.Rows++
			rep.refuse(row.line, "", err.Error())
			continue
		}
		if err != nil {
			finish()
			return rep, fmt.Errorf("suppress: import: read: %w", err)
		}
		rep.Rows++
		a, cols, err := s.additionOf(row.f)
		if rep.Columns == "" {
			rep.Columns = cols
		}
		if err != nil {
			rep.refuse(row.line, a.Address, err.Error())
			continue
		}
		if o.Note != "" && a.Note == "" {
			a.Note = o.Note
		}
		batch = append(batch, a)
		lines = append(lines, row.line)
		if len(batch) == importBatch {
			jobs <- job{batch, lines}
			batch, lines = make([]Addition, 0, importBatch), make([]int, 0, importBatch)
			if err := ctx.Err(); err != nil {
				finish()
				return rep, fmt.Errorf("suppress: import: %w", err)
			}
		}
	}
	if len(batch) > 0 {
		jobs <- job{batch, lines}
	}
	if err := finish(); err != nil {
		return rep, err
	}
	sort.SliceStable(rep.RefusedRows, func(i, j int) bool { return rep.RefusedRows[i].Line < rep.RefusedRows[j].Line })
	note := fmt.Sprintf("import %s (%s): %d rows, %d added, %d widened, %d extended, %d unchanged, %d refused",
		cmp(o.Format, FormatCSV), rep.Columns, rep.Rows, rep.Added, rep.Widened, rep.Extended, rep.Unchanged, rep.Refused)
	line, _ := json.Marshal(AuditEntry{At: time.UnixMilli(ms(s.now())).UTC(), Action: "import", Actor: o.Actor, Note: note})
	pipe := s.c.TxPipeline()
	pipe.LPush(ctx, s.key("audit"), string(line))
	pipe.LTrim(ctx, s.key("audit"), 0, AuditLength-1)
	if _, err := pipe.Exec(ctx); err != nil {
		return rep, fmt.Errorf("suppress: import: audit: %w", err)
	}
	s.log.InfoContext(ctx, "suppress: import", "actor", o.Actor, "rows", rep.Rows, "added", rep.Added, "refused", rep.Refused)
	return rep, nil
}

var errBadRow = errors.New("unreadable row")

func cmp(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// additionOf reads one row of any column set.
func (s *Store) additionOf(f map[string]string) (Addition, string, error) {
	switch {
	case f["emailaddress"] != "" || f["lastupdatetime"] != "":
		a := Addition{Address: f["emailaddress"], Source: "import:ses"}
		switch strings.ToUpper(f["reason"]) {
		case "BOUNCE":
			// SES lists an address after a hard bounce.
			hard := true
			a.Hard, a.Note = &hard, "ses: BOUNCE"
		case "COMPLAINT":
			a.Reason, a.Scope, a.Note = string(classify.Complaint), s.complaintScope(), "ses: COMPLAINT"
		default:
			return a, ColumnsSES, fmt.Errorf("%w: reason %q: want BOUNCE or COMPLAINT", ErrInvalid, f["reason"])
		}
		if v := f["lastupdatetime"]; v != "" {
			t, err := parseTime(v)
			if err != nil {
				return a, ColumnsSES, err
			}
			a.At = t
		}
		return a, ColumnsSES, nil
	case f["code"] != "" || f["error"] != "" || f["created_at"] != "":
		a := Addition{Address: f["address"], Source: "import:mailgun"}
		if f["code"] != "" || f["error"] != "" {
			v := classify.Classify(classify.Input{ReplyCode: f["code"], Diagnostic: f["error"], Action: "failed", Recipient: f["address"]})
			a.Reason = string(v.Reason)
			hard := v.Hard || strings.HasPrefix(f["code"], "5")
			a.Hard = &hard
			a.Note = cut(strings.TrimSpace("mailgun: "+f["code"]+" "+f["error"]), maxNote)
		}
		if v := f["created_at"]; v != "" {
			t, err := parseTime(v)
			if err != nil {
				return a, ColumnsMailgun, err
			}
			a.At = t
		}
		return a, ColumnsMailgun, nil
	default:
		a := Addition{Address: f["address"], Reason: f["reason"], Scope: f["scope"], Note: f["note"], Source: "import"}
		if a.Address == "" {
			a.Address = f["email"]
		}
		for name, dst := range map[string]*time.Time{"expires_at": &a.ExpiresAt, "suppressed_at": &a.At} {
			if v := f[name]; v != "" {
				t, err := parseTime(v)
				if err != nil {
					return a, ColumnsBounced, err
				}
				*dst = t
			}
		}
		if a.Address == "" {
			return a, ColumnsBounced, fmt.Errorf("%w: no address column (address, EmailAddress or email)", ErrInvalid)
		}
		return a, ColumnsBounced, nil
	}
}

// timeLayouts are the times imports carry: RFC 3339 (SES, ours),
// RFC 1123 (Mailgun), and plain dates.
var timeLayouts = []string{time.RFC3339Nano, time.RFC1123, time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 MST",
	"2006-01-02 15:04:05", "2006-01-02T15:04:05", time.DateOnly}

func parseTime(v string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n > 0 {
		// Unix seconds, as some exports write them.
		return time.UnixMilli(int64(n * 1000)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%w: time %q: want RFC 3339 or RFC 1123", ErrInvalid, v)
}

// exportBatch is how many addresses Export reads per round trip.
const exportBatch = 1000

// Export writes every suppressed address to w in format (FormatCSV or
// FormatJSONL) with the columns of ColumnsBounced, ColumnsSES or
// ColumnsMailgun, in address order, streaming: it reads the address index
// a batch at a time, so an address added or lifted meanwhile appears or
// not but none is written twice. flush, when not nil, is called after
// each batch. It returns how many rows it wrote.
func (s *Store) Export(ctx context.Context, w io.Writer, format, columns string, flush func()) (int, error) {
	var head []string
	switch columns {
	case ColumnsBounced, "":
		columns = ColumnsBounced
		head = []string{"address", "scope", "reason", "category", "kind", "hard", "suppressed_at", "expires_at",
			"note", "status", "diagnostic", "carrier", "raw"}
	case ColumnsSES:
		head = []string{"EmailAddress", "Reason", "LastUpdateTime"}
	case ColumnsMailgun:
		head = []string{"address", "code", "error", "created_at"}
	default:
		return 0, fmt.Errorf("%w: export: columns %q: want bounced, ses or mailgun", ErrInvalid, columns)
	}
	var cw *csv.Writer
	var enc *json.Encoder
	switch format {
	case FormatCSV, "":
		cw = csv.NewWriter(w)
		if err := cw.Write(head); err != nil {
			return 0, fmt.Errorf("suppress: export: %w", err)
		}
	case FormatJSONL:
		enc = json.NewEncoder(w)
	default:
		return 0, fmt.Errorf("%w: export: format %q: want %q or %q", ErrInvalid, format, FormatCSV, FormatJSONL)
	}
	if err := s.lazySweep(ctx); err != nil {
		return 0, err
	}
	if err := s.ensureAddrIndex(ctx); err != nil {
		return 0, err
	}
	n := 0
	start := "-"
	vals := make([]string, len(head))
	for {
		page, err := s.c.ZRangeArgs(ctx, redisLex(s.key("idx", "addr"), start, exportBatch)).Result()
		if err != nil {
			return n, fmt.Errorf("suppress: export: %w", err)
		}
		if len(page) == 0 {
			break
		}
		pipe := s.c.Pipeline()
		cmds := make([]*redisMap, len(page))
		for i, a := range page {
			cmds[i] = pipe.HGetAll(ctx, s.key("addr", a))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return n, fmt.Errorf("suppress: export: %w", err)
		}
		for i, a := range page {
			m := cmds[i].Val()
			if len(m) == 0 || m["scope"] == "" {
				continue
			}
			r := recordOf(a, m)
			exportRow(vals, columns, r)
			if cw != nil {
				err = cw.Write(vals)
			} else {
				obj := make(map[string]string, len(head))
				for j, h := range head {
					obj[h] = vals[j]
				}
				err = enc.Encode(obj)
			}
			if err != nil {
				return n, fmt.Errorf("suppress: export: %w", err)
			}
			n++
		}
		if cw != nil {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return n, fmt.Errorf("suppress: export: %w", err)
			}
		}
		if flush != nil {
			flush()
		}
		if len(page) < exportBatch {
			break
		}
		start = "(" + page[len(page)-1]
		if err := ctx.Err(); err != nil {
			return n, fmt.Errorf("suppress: export: %w", err)
		}
	}
	if cw != nil {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return n, fmt.Errorf("suppress: export: %w", err)
		}
	}
	return n, nil
}

func exportRow(vals []string, columns string, r *Record) {
	switch columns {
	case ColumnsSES:
		reason := "BOUNCE"
		if r.Reason == string(classify.Complaint) || r.Kind == "complaint" {
			reason = "COMPLAINT"
		}
		vals[0], vals[1], vals[2] = r.Address, reason, r.SuppressedAt.UTC().Format(time.RFC3339)
	case ColumnsMailgun:
		code := r.ReplyCode
		if code == "" && r.Hard {
			code = "550"
		}
		msg := r.Diagnostic
		if msg == "" {
			msg = r.Note
		}
		vals[0], vals[1], vals[2], vals[3] = r.Address, code, msg, r.SuppressedAt.UTC().Format("Mon, 02 Jan 2006 15:04:05 MST")
	default:
		exp := ""
		if !r.ExpiresAt.IsZero() {
			exp = r.ExpiresAt.UTC().Format(time.RFC3339Nano)
		}
		copy(vals, []string{r.Address, r.Scope, r.Reason, r.Category, r.Kind, strconv.FormatBool(r.Hard),
			r.SuppressedAt.UTC().Format(time.RFC3339Nano), exp, r.Note, r.Status, r.Diagnostic, r.Carrier, r.Raw})
	}
}

type redisMap = redis.MapStringStringCmd

// redisLex is a ZRANGE BYLEX from start (exclusive "(" or "-") to the end,
// count members.
func redisLex(key, start string, count int64) redis.ZRangeArgs {
	return redis.ZRangeArgs{Key: key, Start: start, Stop: "+", ByLex: true, Count: count}
}

// complaintScope is the scope the policy's complaint rule suppresses,
// marketing when the rule suppresses nothing (notify, ignore).
func (s *Store) complaintScope() string {
	if sc := s.policy.Decide(Entry{Verdict: outcome.Verdict{Kind: "complaint"}}).Scope; sc != "" {
		return sc
	}
	return ScopeMarketing
}
