package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/bounce"
	"github.com/bounced-dev/bounced/internal/rawstore"
	"github.com/bounced-dev/bounced/internal/record"
	"github.com/bounced-dev/bounced/internal/reprocess"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	l := openapi3.NewLoader()
	doc, err := l.LoadFromData(openapiYAML)
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if err := doc.Validate(l.Context); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi.yaml is version %s, want 3.1", doc.OpenAPI)
	}
	return doc
}

// codeRoutes returns every route the package registers, as "METHOD
// /path" in the document's spelling: v1Routes, and every pattern given to
// a mux.Handle or mux.HandleFunc call in the package's Go files (a pattern
// without a method is "* /path").
func codeRoutes(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, r := range v1Routes {
		out[r.method+" "+r.path] = true
	}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true // registerV1's loop: v1Routes, above
			}
			pat, _ := strconv.Unquote(lit.Value)
			method, path, found := strings.Cut(pat, " ")
			if !found {
				method, path = "*", pat
			}
			path = strings.ReplaceAll(path, "{$}", "")
			if path == "" {
				path = "/"
			}
			out[method+" "+path] = true
			return true
		})
	}
	return out
}

// specRoutes returns every operation of doc as "METHOD /path".
func specRoutes(doc *openapi3.T) map[string]bool {
	out := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			out[method+" "+path] = true
		}
	}
	return out
}

// TestOpenAPI_routesMatchTheDocument: a route missing from the document,
// or a documented operation with no route, fails.
func TestOpenAPI_routesMatchTheDocument(t *testing.T) {
	doc := loadSpec(t)
	code, spec := codeRoutes(t), specRoutes(doc)
	if len(code) < 15 {
		t.Fatalf("found only %d routes in the code: %v", len(code), code)
	}
	specPaths := map[string]bool{}
	for r := range spec {
		_, p, _ := strings.Cut(r, " ")
		specPaths[p] = true
	}
	codePaths := map[string]bool{}
	for r := range code {
		m, p, _ := strings.Cut(r, " ")
		codePaths[p] = true
		if m == "*" {
			if !specPaths[p] {
				t.Errorf("route %s (any method) is not in openapi.yaml", p)
			}
			continue
		}
		if !spec[r] {
			t.Errorf("route %s is not in openapi.yaml", r)
		}
	}
	for r := range spec {
		m, p, _ := strings.Cut(r, " ")
		if !code[r] && !code["* "+p] {
			t.Errorf("openapi.yaml documents %s %s, which no route serves", m, p)
		}
	}
}

func init() {
	for _, ct := range []string{"text/csv", "application/x-ndjson", "message/rfc822", "text/html", "text/javascript", "text/css"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

// apiFixture is a handler over a real Redis with a raw store, holding a
// hard bounce decoded from a kept message.
type apiFixture struct {
	srv      *httptest.Server
	store    *suppress.Store
	raws     *rawstore.Store
	rawHash  string
	bounced  string // the address of that bounce
	lifted   []string
	readTok  string
	writeTok string
}

func newAPIFixture(t *testing.T) *apiFixture {
	t.Helper()
	rs := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	t.Cleanup(func() { c.Close() })
	st := suppress.New(c, "{t}", suppress.DefaultPolicy(), nil)
	raws, err := rawstore.New(rawstore.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	f := &apiFixture{store: st, raws: raws, readTok: "read-tok", writeTok: "write-tok"}
	ctx := context.Background()
	raw, err := os.ReadFile("../pipeline/testdata/hard-bounce.eml")
	if err != nil {
		t.Fatal(err)
	}
	f.rawHash, err = raws.Put(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := bounce.DecodeBytes(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range record.FromReportWith(nil, "imap://test/INBOX;UID=1", rep, nil) {
		if r.Recipient == "" {
			continue
		}
		f.bounced = r.Recipient
		// As older rules read it: a soft mailbox_full, which today's
		// rules call a hard user_unknown.
		if _, err := st.Apply(ctx, suppress.Entry{IdempotencyKey: "m1:" + r.Recipient, Recipient: r.Recipient,
			Verdict: outcome.Verdict{Kind: r.Kind, Reason: "mailbox_full", Category: "mailbox_full",
				Hard: false, Status: r.Status, Diagnostic: r.Diagnostic}, Source: "imap://test/INBOX;UID=1", At: time.Now().Add(-time.Hour), Raw: f.rawHash}); err != nil {
			t.Fatal(err)
		}
	}
	if f.bounced == "" {
		t.Fatal("hard-bounce.eml names no recipient")
	}
	at := time.Now().Add(-2 * time.Hour)
	for i, a := range []string{"a@example.com", "b@example.org", "c@docomo.ne.jp"} {
		if _, err := st.Apply(ctx, suppress.Entry{IdempotencyKey: "k" + strconv.Itoa(i), Recipient: a, Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown",
			Hard: true},
			At: at.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	h := Handler(Options{
		Store: st, ReadToken: f.readTok, WriteToken: f.writeTok, Raw: raws,
		Reprocess: reprocess.New(reprocess.Options{Store: st, Raw: raws}),
		OnRemove:  func(addr, actor string) { f.lifted = append(f.lifted, addr) },
		Webhooks:  fixtureWebhooks,
	})
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	return f
}

// call is one request of the conformance test.
type call struct {
	method, path, token, ctype, body string
	want                             int
}

// TestOpenAPI_everyRoute sends requests to every documented operation
// over a real Redis and validates each request and answer against the
// document with kin-openapi (parameters, bodies, status codes, media types
// and schemas). Every operation must be exercised.
func TestOpenAPI_everyRoute(t *testing.T) {
	doc := loadSpec(t)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	f := newAPIFixture(t)
	r, w := f.readTok, f.writeTok
	esc := url.PathEscape
	calls := []call{
		{"GET", "/healthz", "", "", "", 200},
		{"GET", "/readyz", "", "", "", 200},
		{"GET", "/metrics", "", "", "", 200},
		{"GET", "/", "", "", "", 200},
		{"GET", "/?lang=ja", "", "", "", 200},
		{"GET", "/ui/app.js", "", "", "", 200},
		{"GET", "/ui/nothing.js", "", "", "", 404},
		{"GET", "/api/v1/openapi.json", "", "", "", 200},
		{"GET", "/api/v1/check?address=taro.@docomo.ne.jp&address=x@gmai.com", r, "", "", 200},
		{"POST", "/api/v1/check", r, "application/json", `["taro@docomo,ne,jp"]`, 200},
		{"GET", "/api/v1/suppressions?limit=2", r, "", "", 200},
		{"GET", "/api/v1/suppressions", "", "", "", 401},
		{"GET", "/api/v1/suppressions?prefix=a&since=2020-01-01", r, "", "", 200},
		{"GET", "/api/v1/suppressions?carrier=docomo&scope=all&category=user_unknown", r, "", "", 200},
		{"GET", "/api/v1/suppressions?cursor=bogus", r, "", "", 400},
		{"POST", "/api/v1/suppressions", w, "application/json", `{"address": "hand@example.net", "reason": "user_unknown", "note": "customer asked"}`, 201},
		{"POST", "/api/v1/suppressions", r, "application/json", `{"address": "x@example.net"}`, 401},
		{"POST", "/api/v1/suppressions", w, "application/json", `{"suppressions": [{"address": "b1@example.net", "scope": "marketing"}, {"address": "not an address"}]}`, 201},
		{"POST", "/api/v1/suppressions/import?note=crm", w, "text/csv", "EmailAddress,Reason,LastUpdateTime\nses1@example.jp,BOUNCE,2026-11-01T10:00:00Z\nbad,BOUNCE,2026-11-01T10:00:00Z\n", 200},
		{"POST", "/api/v1/suppressions/import", w, "application/x-ndjson", `{"address": "mg@example.jp", "code": "550", "error": "5.1.1 mailbox does not exist", "created_at": "Fri, 21 Oct 2011 11:02:55 UTC"}` + "\n", 200},
		{"GET", "/api/v1/suppressions/export?format=csv&columns=ses", r, "", "", 200},
		{"GET", "/api/v1/suppressions/export?format=jsonl", r, "", "", 200},
		{"GET", "/api/v1/suppressions/export?format=xml", r, "", "", 400},
		{"GET", "/api/v1/suppressions/" + esc(f.bounced), r, "", "", 200},
		{"GET", "/api/v1/suppressions/nobody@example.com", r, "", "", 404},
		{"GET", "/api/v1/suppressions/" + esc(f.bounced) + "/raw", r, "", "", 200},
		{"GET", "/api/v1/bounces/" + f.rawHash + "/raw", r, "", "", 200},
		{"GET", "/api/v1/bounces/" + strings.Repeat("0", 64) + "/raw", r, "", "", 404},
		{"GET", "/api/v1/bounces/nothex/raw", r, "", "", 400},
		{"GET", "/api/v1/stats", r, "", "", 200},
		{"POST", "/api/v1/reprocess", w, "application/json", `{"addresses": ["` + f.bounced + `"]}`, 200},
		{"DELETE", "/api/v1/suppressions/a@example.com", w, "application/json", `{"note": "customer wrote back"}`, 200},
		{"DELETE", "/api/v1/suppressions/a@example.com", w, "", "", 404},
		{"POST", "/api/v1/suppressions/b@example.org/lift?actor=alice", w, "application/json", `{"note": "fixed"}`, 200},
		{"GET", "/api/v1/audit?limit=10", r, "", "", 200},
		{"GET", "/api/v1/suppressions/c@docomo.ne.jp/check?scope=marketing", r, "", "", 200},
		{"GET", "/api/v1/suppressions/c@docomo.ne.jp/check?scope=nope", r, "", "", 400},
		{"PUT", "/api/v1/allowlist/partner.example?actor=alice&note=partner", w, "", "", 200},
		{"PUT", "/api/v1/allowlist/" + esc("not an entry"), w, "", "", 400},
		{"GET", "/api/v1/allowlist", r, "", "", 200},
		{"DELETE", "/api/v1/allowlist/partner.example", w, "", "", 200},
		{"DELETE", "/api/v1/allowlist/partner.example", w, "", "", 404},
		{"POST", "/api/v1/deliveries", w, "application/json", `{"recipients": ["c@docomo.ne.jp"], "at": "2026-11-01T10:00:00Z"}`, 200},
		{"POST", "/api/v1/deliveries", w, "application/json", `{"recipients": []}`, 400},
		{"GET", "/api/v1/webhooks", r, "", "", 200},
		{"GET", "/api/v1/webhooks", "", "", "", 401},
	}
	ctx := context.Background()
	exercised := map[string]bool{}
	for _, c := range calls {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req, _ := http.NewRequest(c.method, f.srv.URL+c.path, body)
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
			// The router matches the document's paths, on the request as
			// the server sees it.
			vreq, _ := http.NewRequest(c.method, "http://localhost"+c.path, strings.NewReader(c.body))
			vreq.Header = req.Header.Clone()
			rt, params, err := router.FindRoute(vreq)
			if err != nil {
				t.Fatalf("no operation in openapi.yaml for %s %s: %v", c.method, c.path, err)
			}
			exercised[c.method+" "+rt.Path] = true
			in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: rt,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}}
			if c.want < 400 {
				if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
					t.Fatalf("request does not follow openapi.yaml: %v", err)
				}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.want {
				t.Fatalf("status = %d, want %d: %s", resp.StatusCode, c.want, got)
			}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode,
				Header: resp.Header, Options: in.Options}
			out.SetBodyBytes(got)
			if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
				t.Errorf("answer does not follow openapi.yaml: %v\nbody: %.500s", err, got)
			}
		})
	}
	var missing []string
	for r := range specRoutes(doc) {
		if !exercised[r] {
			missing = append(missing, r)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("operations of openapi.yaml no request exercised: %v", missing)
	}
}

// TestOpenAPI_servedAsJSON: /api/v1/openapi.json is the embedded document.
func TestOpenAPI_servedAsJSON(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{}))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil || doc.OpenAPI != "3.1.0" || doc.Paths.Find("/api/v1/suppressions") == nil {
		t.Fatalf("served document: %v (version %q)", err, doc.OpenAPI)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil || !bytes.Contains(b, []byte(`"/api/v1/reprocess"`)) {
		t.Errorf("served document is not the JSON of openapi.yaml: %v", err)
	}
}
