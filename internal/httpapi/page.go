package httpapi

import (
	"bytes"
	"embed"
	"net/http"
	"path"

	"golang.org/x/text/language"
)

// The page is static: it holds no data and no inline script or style.
// Its script asks the API for the list with the token typed in the page,
// so that the personal data it shows is guarded like the API's. It speaks
// English and Japanese: the server picks the language from
// Accept-Language (or ?lang=en|ja) and writes it in <html lang>, and a
// switch on the page changes it.
//
//go:embed ui/index.html ui/app.js ui/app.css
var ui embed.FS

// pageCSP lets the page load its own script and style and talk to its
// own API, and nothing else.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

var assetTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
}

// pageLanguages are the page's languages, the default first.
var pageLanguages = []language.Tag{language.English, language.Japanese}

var pageMatcher = language.NewMatcher(pageLanguages)

// pageLang returns "en" or "ja" for r: its lang parameter, else the best
// match of its Accept-Language, else English.
func pageLang(r *http.Request) string {
	switch v := r.URL.Query().Get("lang"); v {
	case "en", "ja":
		return v
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, i, conf := pageMatcher.Match(tags...)
	if conf == language.No {
		return "en"
	}
	base, _ := pageLanguages[i].Base()
	return base.String()
}

func (a *api) page(w http.ResponseWriter, r *http.Request) {
	b, err := ui.ReadFile("ui/index.html")
	if err != nil {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	lang := pageLang(r)
	b = bytes.Replace(b, []byte(`<html lang="en"`), []byte(`<html lang="`+lang+`"`), 1)
	h := w.Header()
	h.Set("Content-Type", assetTypes[".html"])
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Content-Language", lang)
	h.Add("Vary", "Accept-Language")
	w.Write(b)
}

func (a *api) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if name == "index.html" || assetTypes[path.Ext(name)] == "" {
		http.NotFound(w, r)
		return
	}
	serveAsset(w, name)
}

func serveAsset(w http.ResponseWriter, name string) {
	b, err := ui.ReadFile("ui/" + name)
	if err != nil {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	w.Header().Set("Content-Type", assetTypes[path.Ext(name)])
	w.Write(b)
}
