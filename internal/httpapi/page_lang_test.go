package httpapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestPage_languageFromAcceptLanguage: the page is served in the language
// the browser asks for, English unless it prefers Japanese, and ?lang=
// overrides it.
func TestPage_languageFromAcceptLanguage(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{}))
	defer srv.Close()
	for _, tc := range []struct {
		name, accept, query, want string
	}{
		{"none", "", "", "en"},
		{"english", "en-US,en;q=0.9", "", "en"},
		{"japanese", "ja-JP,ja;q=0.9,en;q=0.5", "", "ja"},
		{"japanese second", "fr-FR,ja;q=0.8", "", "ja"},
		{"english before japanese", "en-GB,ja;q=0.5", "", "en"},
		{"neither", "fr-FR,de;q=0.5", "", "en"},
		{"malformed", ";;;q=bogus", "", "en"},
		{"query", "en-US", "?lang=ja", "ja"},
		{"unknown query", "ja", "?lang=fr", "ja"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/"+tc.query, nil)
			if tc.accept != "" {
				req.Header.Set("Accept-Language", tc.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), `<html lang="`+tc.want+`">`) {
				t.Errorf("page for %q%s has %q, want lang %s", tc.accept, tc.query, htmlTag.Find(body), tc.want)
			}
			if got := resp.Header.Get("Content-Language"); got != tc.want {
				t.Errorf("Content-Language = %q, want %q", got, tc.want)
			}
			if got := resp.Header.Get("Vary"); !strings.Contains(got, "Accept-Language") {
				t.Errorf("Vary = %q, want Accept-Language", got)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); csp != pageCSP {
				t.Errorf("Content-Security-Policy = %q, want %q", csp, pageCSP)
			}
		})
	}
}

var htmlTag = regexp.MustCompile(`<html[^>]*>`)

// TestPage_everyStringInBothLanguages: every string the page shows (the
// keys of index.html's data-i18n and of app.js's t() calls) is written in
// English and in Japanese, and both tables have the same keys.
func TestPage_everyStringInBothLanguages(t *testing.T) {
	js, err := os.ReadFile("ui/app.js")
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile("ui/index.html")
	if err != nil {
		t.Fatal(err)
	}
	src := string(js)
	block := func(start, end string) map[string]bool {
		t.Helper()
		i := strings.Index(src, start)
		j := strings.Index(src[i+1:], end)
		if i < 0 || j < 0 {
			t.Fatalf("app.js has no %q ... %q block", start, end)
		}
		keys := map[string]bool{}
		for _, m := range regexp.MustCompile(`(\w+):\s*"`).FindAllStringSubmatch(src[i:i+1+j], -1) {
			keys[m[1]] = true
		}
		return keys
	}
	en := block("\n    en: {", "\n    },\n    ja: {")
	ja := block("\n    ja: {", "\n    },\n  };")
	if len(en) < 100 {
		t.Fatalf("found %d English strings, want the whole table", len(en))
	}
	for k := range en {
		if !ja[k] {
			t.Errorf("%q has no Japanese", k)
		}
	}
	for k := range ja {
		if !en[k] {
			t.Errorf("%q has no English", k)
		}
	}
	var used []string
	for _, m := range regexp.MustCompile(`data-i18n="(\w+)"`).FindAllStringSubmatch(string(html), -1) {
		used = append(used, m[1])
	}
	for _, m := range regexp.MustCompile(`\bt\("(\w+)"[,)]`).FindAllStringSubmatch(src, -1) {
		used = append(used, m[1])
	}
	for _, m := range regexp.MustCompile(`say\((?:true|false|[\w.() =!"]+), "(\w+)"[,)]`).FindAllStringSubmatch(src, -1) {
		used = append(used, m[1])
	}
	sort.Strings(used)
	if len(used) < 80 {
		t.Fatalf("found %d strings in use, want every one", len(used))
	}
	for _, k := range used {
		if !en[k] || !ja[k] {
			t.Errorf("string %q is used but not in both languages (en %v, ja %v)", k, en[k], ja[k])
		}
	}
}
