package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bounced-dev/bounced/internal/rawstore"
	"github.com/bounced-dev/bounced/internal/reprocess"
	"github.com/bounced-dev/bounced/internal/suppress"
)

// Store is the suppression store as the whole API v1 uses it; Options.Store
// must implement it for the routes beyond list, show and lift to work
// (*suppress.Store does).
type Store interface {
	Suppressions
	Query(ctx context.Context, o suppress.QueryOptions) (suppress.Page, error)
	History(ctx context.Context, addr string) ([]suppress.HistoryEntry, error)
	AddressAudit(ctx context.Context, addr string) ([]suppress.AuditEntry, error)
	Audit(ctx context.Context, limit int) ([]suppress.AuditEntry, error)
	Add(ctx context.Context, actor string, adds []suppress.Addition) ([]suppress.AddResult, error)
	Import(ctx context.Context, r io.Reader, o suppress.ImportOptions) (*suppress.ImportReport, error)
	Export(ctx context.Context, w io.Writer, format, columns string, flush func()) (int, error)
	Stats(ctx context.Context, o suppress.StatsOptions) ([]suppress.DayStats, error)
}

// RawReader reads kept raw messages by content hash (internal/rawstore).
type RawReader interface {
	Read(hash string) ([]byte, error)
}

// Reprocessor decodes kept raw messages again (internal/reprocess).
type Reprocessor interface {
	Reprocess(ctx context.Context, req reprocess.Request) (*reprocess.Report, error)
}

// route is one route of the API. The OpenAPI document (openapi.yaml)
// describes each, and TestOpenAPI_everyRoute checks both ways.
type route struct {
	method, path string // path as the OpenAPI document writes it
	need         access // 0: no token
	h            func(a *api) http.HandlerFunc
}

// v1Routes are the API v1 routes registered by registerV1 (the address
// check, /api/v1/check, is registered in Handler).
var v1Routes = []route{
	{"GET", "/api/v1/openapi.json", 0, func(a *api) http.HandlerFunc { return a.openapi }},
	{"GET", "/api/v1/suppressions", accessRead, func(a *api) http.HandlerFunc { return a.query }},
	{"POST", "/api/v1/suppressions", accessWrite, func(a *api) http.HandlerFunc { return a.add }},
	{"GET", "/api/v1/suppressions/export", accessRead, func(a *api) http.HandlerFunc { return a.export }},
	{"POST", "/api/v1/suppressions/import", accessWrite, func(a *api) http.HandlerFunc { return a.importList }},
	{"GET", "/api/v1/suppressions/{address}", accessRead, func(a *api) http.HandlerFunc { return a.show }},
	{"DELETE", "/api/v1/suppressions/{address}", accessWrite, func(a *api) http.HandlerFunc { return a.lift }},
	{"POST", "/api/v1/suppressions/{address}/lift", accessWrite, func(a *api) http.HandlerFunc { return a.lift }},
	{"GET", "/api/v1/suppressions/{address}/raw", accessRead, func(a *api) http.HandlerFunc { return a.addressRaw }},
	{"GET", "/api/v1/bounces/{id}/raw", accessRead, func(a *api) http.HandlerFunc { return a.bounceRaw }},
	{"GET", "/api/v1/audit", accessRead, func(a *api) http.HandlerFunc { return a.audit }},
	{"GET", "/api/v1/stats", accessRead, func(a *api) http.HandlerFunc { return a.stats }},
	{"POST", "/api/v1/reprocess", accessWrite, func(a *api) http.HandlerFunc { return a.reprocess }},
	{"GET", "/api/v1/webhooks", accessRead, func(a *api) http.HandlerFunc { return a.webhooks }},
}

// registerV1 adds v1Routes to mux.
func registerV1(mux *http.ServeMux, a *api, auth *authenticator) {
	for _, r := range v1Routes {
		h := r.h(a)
		if r.need != 0 {
			h = auth.wrap(r.need, h)
		}
		mux.HandleFunc(r.method+" "+r.path, h)
	}
}

// Body limits.
const (
	maxAddBody       = 1 << 20
	maxLiftBody      = 16 << 10
	maxReprocessBody = 256 << 10
)

// store returns the full store, or answers 501 when Options.Store is not one.
func (a *api) store(w http.ResponseWriter) (Store, bool) {
	s, ok := a.o.Store.(Store)
	if !ok || s == nil {
		writeError(w, http.StatusNotImplemented, "this route needs the suppression store")
		return nil, false
	}
	return s, true
}

// storeError answers err: 400 for an invalid argument, 404 for an unknown
// address, 503 otherwise (logged).
func (a *api) storeError(w http.ResponseWriter, what string, err error) {
	switch {
	case errors.Is(err, suppress.ErrInvalid):
		writeError(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "suppress: invalid argument: "))
	case errors.Is(err, suppress.ErrNotFound):
		writeError(w, http.StatusNotFound, "address not known")
	default:
		a.o.Log.Error("http: "+what, "error", err)
		writeError(w, http.StatusServiceUnavailable, "suppression store unavailable")
	}
}

func (a *api) query(w http.ResponseWriter, r *http.Request) {
	s, ok := a.store(w)
	if !ok {
		return
	}
	q := r.URL.Query()
	o := suppress.QueryOptions{
		Reason: q.Get("reason"), Category: q.Get("category"), Scope: q.Get("scope"), Domain: q.Get("domain"),
		Carrier: q.Get("carrier"), Prefix: q.Get("prefix"), Cursor: q.Get("cursor"),
	}
	var err error
	if o.Limit, err = intParam(q.Get("limit")); err != nil {
		writeError(w, http.StatusBadRequest, "limit: "+err.Error())
		return
	}
	for name, dst := range map[string]*time.Time{"since": &o.Since, "until": &o.Until} {
		if v := q.Get(name); v != "" {
			if *dst, err = parseTimeParam(v); err != nil {
				writeError(w, http.StatusBadRequest, name+": want an RFC 3339 time or a date")
				return
			}
		}
	}
	page, err := s.Query(r.Context(), o)
	if err != nil {
		a.storeError(w, "query suppressions", err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func parseTimeParam(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, v)
}

// actorOf names who makes a change: the body's actor, else ?actor=, else
// "api".
func actorOf(r *http.Request, body string) string {
	for _, v := range []string{body, r.URL.Query().Get("actor")} {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return "api"
}

// addRequest is the body of POST /api/v1/suppressions: one addition, or a
// batch.
type addRequest struct {
	suppress.Addition
	Actor        string              `json:"actor,omitempty"`
	Suppressions []suppress.Addition `json:"suppressions,omitempty"`
}

func (a *api) add(w http.ResponseWriter, r *http.Request) {
	s, ok := a.store(w)
	if !ok {
		return
	}
	var req addRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAddBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body over %d bytes", maxAddBody))
			return
		}
		writeError(w, http.StatusBadRequest, "body: want an addition or {\"suppressions\": [...]}")
		return
	}
	adds := req.Suppressions
	if req.Address != "" {
		adds = append([]suppress.Addition{req.Addition}, adds...)
	}
	if len(adds) == 0 {
		writeError(w, http.StatusBadRequest, "no address given")
		return
	}
	if len(adds) > suppress.MaxBatch {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("at most %d additions a request", suppress.MaxBatch))
		return
	}
	for i := range adds {
		adds[i].Source = "" // set by the store: an API client cannot forge an import
	}
	res, err := s.Add(r.Context(), actorOf(r, req.Actor), adds)
	if err != nil {
		a.storeError(w, "add suppressions", err)
		return
	}
	code := http.StatusOK
	for _, x := range res {
		if x.Status == suppress.AddAdded || x.Status == suppress.AddWidened || x.Status == suppress.AddExtended {
			code = http.StatusCreated
		}
	}
	writeJSON(w, code, map[string]any{"results": res})
}

// showResponse is GET /api/v1/suppressions/{address}: the record's fields,
// every entry seen for the address and its audit trail.
type showResponse struct {
	*suppress.Record
	Bounces []suppress.HistoryEntry `json:"bounces"`
	Audit   []suppress.AuditEntry   `json:"audit"`
}

func (a *api) show(w http.ResponseWriter, r *http.Request) {
	s, ok := a.store(w)
	if !ok {
		return
	}
	addr := r.PathValue("address")
	rec, err := s.Get(r.Context(), addr)
	if err != nil {
		a.storeError(w, "get suppression", err)
		return
	}
	hist, err := s.History(r.Context(), addr)
	if err != nil {
		a.storeError(w, "history", err)
		return
	}
	aud, err := s.AddressAudit(r.Context(), addr)
	if err != nil {
		a.storeError(w, "audit", err)
		return
	}
	writeJSON(w, http.StatusOK, showResponse{Record: rec, Bounces: hist, Audit: aud})
}

// liftRequest is the optional body of a lift.
type liftRequest struct {
	Note  string `json:"note"`
	Actor string `json:"actor"`
}

func (a *api) lift(w http.ResponseWriter, r *http.Request) {
	var req liftRequest
	if r.ContentLength != 0 && r.Body != nil {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxLiftBody))
		if err != nil {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body over %d bytes", maxLiftBody))
			return
		}
		if len(strings.TrimSpace(string(body))) > 0 {
			dec := json.NewDecoder(strings.NewReader(string(body)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&req); err != nil {
				writeError(w, http.StatusBadRequest, `body: want {"note": "...", "actor": "..."}`)
				return
			}
		}
	}
	if req.Note == "" {
		req.Note = r.URL.Query().Get("note")
	}
	addr := r.PathValue("address")
	actor := actorOf(r, req.Actor)
	removed, err := a.o.Store.Remove(r.Context(), addr, actor, req.Note)
	if err != nil {
		a.storeError(w, "remove suppression", err)
		return
	}
	if !removed {
		writeError(w, http.StatusNotFound, "address is not suppressed")
		return
	}
	if a.o.OnRemove != nil {
		a.o.OnRemove(addr, actor)
	}
	writeJSON(w, http.StatusOK, map[string]any{"address": addr, "removed": true, "actor": actor, "note": req.Note})
}

func (a *api) export(w http.ResponseWriter, r *http.Request) {
	s, ok := a.store(w)
	if !ok {
		return
	}
	q := r.URL.Query()
	format, columns := q.Get("format"), q.Get("columns")
	switch format {
	case "", suppress.FormatCSV:
		format = suppress.FormatCSV
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	case suppress.FormatJSONL:
		w.Header().Set("Content-Type", "application/x-ndjson")
	default:
		writeError(w, http.StatusBadRequest, "format: want csv or jsonl")
		return
	}
	switch columns {
	case "", suppress.ColumnsBounced, suppress.ColumnsSES, suppress.ColumnsMailgun:
	default:
		writeError(w, http.StatusBadRequest, "columns: want bounced, ses or mailgun")
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="suppressions.`+format+`"`)
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Now().Add(streamIdle))
	flush := func() {
		rc.Flush()
		// Progress: the server's write timeout would cut a long export.
		rc.SetWriteDeadline(time.Now().Add(streamIdle))
	}
	if _, err := s.Export(r.Context(), w, format, columns, flush); err != nil {
		// The status line is sent: the client sees a truncated file.
		a.o.Log.Error("http: export", "error", err)
	}
}

func (a *api) importList(w http.ResponseWriter, r *http.Request) {
	s, ok := a.store(w)
	if !ok {
		return
	}
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch mt {
		case "application/x-ndjson", "application/jsonl", "application/json-seq", "application/jsonlines":
			format = suppress.FormatJSONL
		default:
			format = suppress.FormatCSV
		}
	}
	if format != suppress.FormatCSV && format != suppress.FormatJSONL {
		writeError(w, http.StatusBadRequest, "format: want csv or jsonl")
		return
	}
	body := &progressReader{r: r.Body, rc: http.NewResponseController(w)}
	rep, err := s.Import(r.Context(), body, suppress.ImportOptions{Format: format, Actor: actorOf(r, ""), Note: q.Get("note")})
	if err != nil {
		if rep != nil && !errors.Is(err, suppress.ErrInvalid) {
			a.o.Log.Error("http: import", "error", err, "rows", rep.Rows)
		}
		a.storeError(w, "import", err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (a *api) writeRaw(w http.ResponseWriter, hash string) {
	if a.o.Raw == nil {
		writeError(w, http.StatusNotFound, "raw messages are not kept: set raw.dir")
		return
	}
	raw, err := a.o.Raw.Read(hash)
	if err != nil {
		if errors.Is(err, rawstore.ErrInvalid) {
			writeError(w, http.StatusBadRequest, "id: want the SHA-256 (hex) of a message")
			return
		}
		if errors.Is(err, rawstore.ErrNotFound) {
			writeError(w, http.StatusNotFound, "raw message not kept (never stored, or past its retention)")
			return
		}
		a.o.Log.Error("http: raw", "error", err)
		writeError(w, http.StatusServiceUnavailable, "raw store unavailable")
		return
	}
	// A message, never a document to render: downloaded, and the API's
	// CSP forbids any script even if a browser shows it.
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", `attachment; filename="`+hash+`.eml"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
	w.WriteHeader(http.StatusOK)
	w.Write(raw)
}

func (a *api) bounceRaw(w http.ResponseWriter, r *http.Request) {
	a.writeRaw(w, r.PathValue("id"))
}

func (a *api) addressRaw(w http.ResponseWriter, r *http.Request) {
	s, ok := a.store(w)
	if !ok {
		return
	}
	addr := r.PathValue("address")
	hash := r.URL.Query().Get("hash")
	rec, err := s.Get(r.Context(), addr)
	if err != nil {
		a.storeError(w, "get suppression", err)
		return
	}
	if hash == "" {
		hash = rec.Raw
	} else {
		// Only a message seen for this address.
		hist, err := s.History(r.Context(), addr)
		if err != nil {
			a.storeError(w, "history", err)
			return
		}
		found := hash == rec.Raw
		for _, h := range hist {
			found = found || h.Raw == hash
		}
		if !found {
			writeError(w, http.StatusNotFound, "no such message for this address")
			return
		}
	}
	if hash == "" {
		writeError(w, http.StatusNotFound, "no raw message is linked to this address")
		return
	}
	a.writeRaw(w, hash)
}

func (a *api) audit(w http.ResponseWriter, r *http.Request) {
	s, ok := a.store(w)
	if !ok {
		return
	}
	limit, err := intParam(r.URL.Query().Get("limit"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "limit: "+err.Error())
		return
	}
	if limit == 0 {
		limit = 100
	}
	es, err := s.Audit(r.Context(), min(limit, suppress.AuditLength))
	if err != nil {
		a.storeError(w, "audit", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"audit": es})
}

func (a *api) stats(w http.ResponseWriter, r *http.Request) {
	s, ok := a.store(w)
	if !ok {
		return
	}
	q := r.URL.Query()
	var o suppress.StatsOptions
	var err error
	for name, dst := range map[string]*time.Time{"since": &o.Since, "until": &o.Until} {
		if v := q.Get(name); v != "" {
			if *dst, err = parseTimeParam(v); err != nil {
				writeError(w, http.StatusBadRequest, name+": want a date (YYYY-MM-DD)")
				return
			}
		}
	}
	if o.TopDomains, err = intParam(q.Get("top_domains")); err != nil {
		writeError(w, http.StatusBadRequest, "top_domains: "+err.Error())
		return
	}
	days, err := s.Stats(r.Context(), o)
	if err != nil {
		a.storeError(w, "stats", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"days": days})
}

func (a *api) reprocess(w http.ResponseWriter, r *http.Request) {
	if a.o.Reprocess == nil {
		writeError(w, http.StatusNotImplemented, "reprocessing needs the raw store: set raw.dir")
		return
	}
	var req reprocess.Request
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxReprocessBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, `body: want {"addresses": [...], "apply": false}`)
		return
	}
	if req.Actor == "" {
		req.Actor = actorOf(r, "")
	}
	rep, err := a.o.Reprocess.Reprocess(r.Context(), req)
	if err != nil {
		if errors.Is(err, reprocess.ErrInvalid) {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		a.storeError(w, "reprocess", err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// streamIdle is how long an import or export may go without progress
// once it runs longer than the server's read or write timeout.
const streamIdle = time.Minute

// progressReader extends the connection's deadlines while an import's
// body keeps arriving: a long import that progresses is not cut by the
// server's read timeout, a stalled one still is.
type progressReader struct {
	r    io.Reader
	rc   *http.ResponseController
	last time.Time
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if now := time.Now(); n > 0 && now.Sub(p.last) > 100*time.Millisecond {
		p.last = now
		p.rc.SetReadDeadline(now.Add(streamIdle))
		p.rc.SetWriteDeadline(now.Add(2 * streamIdle))
	}
	return n, err
}
