package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bounced-dev/bounced/internal/suppress"
)

func (f *apiFixture) do(t *testing.T, method, path, token, ctype, body string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestAPIv1_pagesWithTheCursor(t *testing.T) {
	f := newAPIFixture(t)
	var adds []string
	for i := 0; i < 25; i++ {
		adds = append(adds, fmt.Sprintf(`{"address": "page%02d@example.com"}`, i))
	}
	if resp, b := f.do(t, "POST", "/api/v1/suppressions", f.writeTok, "application/json", `{"suppressions": [`+strings.Join(adds, ",")+`]}`); resp.StatusCode != 201 {
		t.Fatalf("add = %d %s", resp.StatusCode, b)
	}
	seen := map[string]int{}
	next := ""
	for pages := 0; ; pages++ {
		q := url.Values{"limit": {"7"}, "domain": {"example.com"}}
		if next != "" {
			q.Set("cursor", next)
		}
		resp, b := f.do(t, "GET", "/api/v1/suppressions?"+q.Encode(), f.readTok, "", "")
		var p suppress.Page
		if err := json.Unmarshal(b, &p); err != nil || resp.StatusCode != 200 {
			t.Fatalf("page %d = %d %s", pages, resp.StatusCode, b)
		}
		for _, r := range p.Records {
			seen[r.Address]++
		}
		if p.Next == "" {
			break
		}
		next = p.Next
		if pages > 10 {
			t.Fatal("the cursor never ends")
		}
	}
	if len(seen) != 26 { // 25 added and a@example.com
		t.Errorf("pages list %d addresses, want 26: %v", len(seen), seen)
	}
	for a, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", a, n)
		}
	}
	many := strings.Repeat(`{"address": "x@example.com"},`, suppress.MaxBatch)
	if resp, b := f.do(t, "POST", "/api/v1/suppressions", f.writeTok, "application/json", `{"suppressions": [`+many+`{"address": "y@example.com"}]}`); resp.StatusCode != 400 {
		t.Errorf("add of %d = %d %s, want 400", suppress.MaxBatch+1, resp.StatusCode, b)
	}
}

func TestAPIv1_liftNoteAndShow(t *testing.T) {
	f := newAPIFixture(t)
	resp, b := f.do(t, "DELETE", "/api/v1/suppressions/a@example.com", f.writeTok, "application/json", `{"note": "customer wrote back", "actor": "alice"}`)
	if resp.StatusCode != 200 || len(f.lifted) != 1 {
		t.Fatalf("lift = %d %s (OnRemove %v)", resp.StatusCode, b, f.lifted)
	}
	if resp, b := f.do(t, "DELETE", "/api/v1/suppressions/b@example.org", f.writeTok, "application/json", `{"note": 5}`); resp.StatusCode != 400 {
		t.Errorf("lift with a bad body = %d %s, want 400", resp.StatusCode, b)
	}
	_, b = f.do(t, "GET", "/api/v1/suppressions/a@example.com", f.readTok, "", "")
	var show struct {
		suppress.Record
		Bounces []suppress.HistoryEntry `json:"bounces"`
		Audit   []suppress.AuditEntry   `json:"audit"`
	}
	if err := json.Unmarshal(b, &show); err != nil {
		t.Fatal(err)
	}
	if show.Suppressed || show.LiftedBy != "alice" || len(show.Bounces) != 1 || show.Bounces[0].Reason != "user_unknown" ||
		len(show.Audit) != 1 || show.Audit[0].Note != "customer wrote back" || show.Audit[0].Actor != "alice" {
		t.Errorf("show after the lift = %s", b)
	}
}

func TestAPIv1_rawIsADownloadNeverAPage(t *testing.T) {
	f := newAPIFixture(t)
	resp, b := f.do(t, "GET", "/api/v1/bounces/"+f.rawHash+"/raw", f.readTok, "", "")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "message/rfc822" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") || len(b) == 0 {
		t.Errorf("raw = %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := f.do(t, "GET", "/api/v1/bounces/"+f.rawHash+"/raw", "", "", ""); resp.StatusCode != 401 {
		t.Errorf("raw without a token = %d, want 401", resp.StatusCode)
	}
	if resp, _ := f.do(t, "GET", "/api/v1/suppressions/"+url.PathEscape(f.bounced)+"/raw?hash="+strings.Repeat("a", 64), f.readTok, "", ""); resp.StatusCode != 404 {
		t.Errorf("raw of a message not seen for the address = %d, want 404", resp.StatusCode)
	}
}

// TestAPIv1_longImportOutlivesTheReadTimeout: an import whose body keeps
// arriving for longer than the server's read timeout completes.
func TestAPIv1_longImportOutlivesTheReadTimeout(t *testing.T) {
	f := newAPIFixture(t)
	_, addr := startServer(t, f.srv.Config.Handler, ServerOptions{ReadTimeout: 500 * time.Millisecond, WriteTimeout: 500 * time.Millisecond})
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte("address,reason\n"))
		for i := 0; i < 8; i++ {
			time.Sleep(150 * time.Millisecond)
			fmt.Fprintf(pw, "slow%d@example.com,user_unknown\n", i)
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/suppressions/import", pr)
	req.Header.Set("Authorization", "Bearer "+f.writeTok)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var rep suppress.ImportReport
	if err := json.Unmarshal(b, &rep); err != nil || resp.StatusCode != 200 || rep.Added != 8 {
		t.Fatalf("slow import = %d %s", resp.StatusCode, b)
	}
}
