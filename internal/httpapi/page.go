package httpapi

import (
	"html/template"
	"net/http"

	"github.com/bounced-dev/bounced/internal/suppress"
)

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bounced: suppressions</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4} .hard{color:#b00;font-weight:bold} .diag{max-width:40em;color:#555}
form{margin:1em 0} input{margin-right:.5em}
</style></head><body>
<h1>Suppressed addresses</h1>
<form method="get" action="/">
 <input name="domain" placeholder="domain" value="{{.Domain}}">
 <input name="reason" placeholder="reason" value="{{.Reason}}">
 <button>Search</button>
 <span>{{.Total}} suppressed{{if .Error}} — <b>{{.Error}}</b>{{end}}</span>
</form>
<p><label>API token (needed to lift): <input id="token" type="password" autocomplete="off"></label></p>
<table><tr><th>Address</th><th>Reason</th><th>Scope</th><th>Count</th><th>Last seen</th><th>Expires</th><th>Server said</th><th></th></tr>
{{range .Records}}<tr>
<td>{{.Address}}</td><td {{if .Hard}}class="hard"{{end}}>{{.Reason}}</td><td>{{.Scope}}</td><td>{{.Count}}</td>
<td>{{.LastSeen.Format "2006-01-02 15:04"}}</td><td>{{if not .ExpiresAt.IsZero}}{{.ExpiresAt.Format "2006-01-02"}}{{else}}never{{end}}</td>
<td class="diag">{{.Status}} {{.Diagnostic}}</td>
<td><button data-addr="{{.Address}}" onclick="lift(this)">Lift</button></td></tr>
{{end}}</table>
<script>
async function lift(b){
  const a=b.dataset.addr, t=document.getElementById('token').value;
  if(!confirm('Lift the suppression of '+a+'?'))return;
  const r=await fetch('/api/v1/suppressions/'+encodeURIComponent(a)+'?actor=web',{method:'DELETE',headers:{'Authorization':'Bearer '+t}});
  if(r.ok){b.closest('tr').remove()}else{alert((await r.json()).error)}
}
</script></body></html>`))

func (a *api) page(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	data := struct {
		Domain, Reason, Error string
		Total                 int
		Records               []suppress.Record
	}{Domain: q.Get("domain"), Reason: q.Get("reason")}
	recs, total, err := a.o.Store.List(r.Context(), suppress.ListOptions{Domain: data.Domain, Reason: data.Reason, Limit: 500})
	if err != nil {
		data.Error = "suppression store unavailable"
	}
	data.Records, data.Total = recs, total
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'")
	pageTmpl.Execute(w, data)
}
