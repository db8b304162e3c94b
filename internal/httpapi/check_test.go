package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/bounced-dev/bounced/addrcheck"
)

func checkRequest(t *testing.T, srv *httptest.Server, method, path, token, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func decodeResults(t *testing.T, body string) []addrcheck.Result {
	t.Helper()
	var v struct {
		Results []addrcheck.Result `json:"results"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v.Results
}

func TestAPICheck(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{Token: "tok"}))
	t.Cleanup(srv.Close)

	q := url.Values{"address": {"taro.@docomo.ne.jp", "hanako@docomo.ne.jo", "ok+tag@gmail.com"}}
	code, body := checkRequest(t, srv, "GET", "/api/v1/check?"+q.Encode(), "tok", "")
	if code != http.StatusOK {
		t.Fatalf("GET check = %d %s", code, body)
	}
	res := decodeResults(t, body)
	if len(res) != 3 {
		t.Fatalf("GET check = %d results, want 3: %s", len(res), body)
	}
	if !res[0].Has(addrcheck.CodeDotBeforeAt) || res[0].Suggestion != "taro@docomo.ne.jp" || res[0].Carrier != "docomo" {
		t.Errorf("result 0 = %+v", res[0])
	}
	if !res[1].Has(addrcheck.CodeDomainTypo) || res[1].Suggestion != "hanako@docomo.ne.jp" {
		t.Errorf("result 1 = %+v", res[1])
	}
	if len(res[2].Faults) != 0 || !res[2].Valid || res[2].Address != "ok+tag@gmail.com" {
		t.Errorf("result 2 = %+v", res[2])
	}

	code, body = checkRequest(t, srv, "POST", "/api/v1/check", "tok", `["ＡＢＣ＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ", "taro@docomo,ne,jp"]`)
	if res := decodeResults(t, body); code != http.StatusOK || len(res) != 2 || res[0].Suggestion != "ABC@docomo.ne.jp" || res[1].Suggestion != "taro@docomo.ne.jp" {
		t.Errorf("POST list = %d %s", code, body)
	}
	code, body = checkRequest(t, srv, "POST", "/api/v1/check", "tok", `{"addresses": ["taro@gmai.com"]}`)
	if res := decodeResults(t, body); code != http.StatusOK || len(res) != 1 || res[0].Suggestion != "taro@gmail.com" {
		t.Errorf("POST object = %d %s", code, body)
	}
}

func TestAPICheck_refused(t *testing.T) {
	srv := httptest.NewServer(Handler(Options{Token: "tok"}))
	t.Cleanup(srv.Close)
	many, _ := json.Marshal(make([]string, maxCheckAddresses+1))
	tests := []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"no token", "GET", "/api/v1/check?address=a@b.example", "", "", http.StatusUnauthorized},
		{"wrong token", "GET", "/api/v1/check?address=a@b.example", "nope", "", http.StatusUnauthorized},
		{"no address", "GET", "/api/v1/check", "tok", "", http.StatusBadRequest},
		{"empty list", "POST", "/api/v1/check", "tok", `[]`, http.StatusBadRequest},
		{"not json", "POST", "/api/v1/check", "tok", `taro@docomo.ne.jp`, http.StatusBadRequest},
		{"not strings", "POST", "/api/v1/check", "tok", `[1, 2]`, http.StatusBadRequest},
		{"unknown field", "POST", "/api/v1/check", "tok", `{"address": "a@b.example"}`, http.StatusBadRequest},
		{"too many", "POST", "/api/v1/check", "tok", string(many), http.StatusBadRequest},
		{"too large", "POST", "/api/v1/check", "tok", `["` + strings.Repeat("a", maxCheckBody) + `"]`, http.StatusRequestEntityTooLarge},
		{"method", "PUT", "/api/v1/check", "tok", `[]`, http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := checkRequest(t, srv, tc.method, tc.path, tc.token, tc.body)
			if code != tc.want {
				t.Errorf("%s %s = %d %s, want %d", tc.method, tc.path, code, body, tc.want)
			}
			if !strings.Contains(body, `"error"`) {
				t.Errorf("refusal without an error message: %s", body)
			}
		})
	}
	// Without a configured token the check is refused, like every guarded route.
	open := httptest.NewServer(Handler(Options{}))
	t.Cleanup(open.Close)
	if code, _ := checkRequest(t, open, "GET", "/api/v1/check?address=a@b.example", "", ""); code != http.StatusForbidden {
		t.Errorf("check without a configured token = %d, want 403", code)
	}
}
