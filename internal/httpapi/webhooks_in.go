package httpapi

import (
	"net/http"
	"strings"
)

// WithWebhooksIn returns h serving also the ESP webhooks of in (package
// internal/inbound) under /webhooks/, with the same security headers. A
// nil in leaves h as it is: /webhooks/ answers 404.
func WithWebhooksIn(h, in http.Handler) http.Handler {
	if in == nil {
		return h
	}
	in = secureHeaders(in)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/webhooks/") {
			in.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}
