package httpapi

import (
	"embed"
	"net/http"
	"path"
)

// The page is static: it holds no data and no inline script or style.
// Its script asks the API for the list with the token typed in the page,
// so that the personal data it shows is guarded like the API's.
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

func (a *api) page(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, "index.html")
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
	if name == "index.html" {
		w.Header().Set("Content-Security-Policy", pageCSP)
	}
	w.Write(b)
}
