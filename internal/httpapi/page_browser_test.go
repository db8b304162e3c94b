package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/redis/go-redis/v9"

	"github.com/bounced-dev/bounced/internal/rawstore"
	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

// chromiumPath finds a Chromium or Chrome binary: $BOUNCED_CHROMIUM, then
// the names on $PATH, then Debian's /usr/bin/chromium. "" when none.
func chromiumPath() string {
	if p := os.Getenv("BOUNCED_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/lib/chromium/chromium", "/snap/bin/chromium"} {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// hostileDiagnostic is a remote server's words that try to run a script in
// the page: they must show as text and run nothing.
const (
	hostileDiagnostic = `550 5.7.1 <img src=x onerror="window.__pwned='img'"> <script>window.__pwned='script'</script> rejected`
	hostileSubject    = `<svg onload="window.__pwned='svg'">Your order</svg>`
	hostileRaw        = "From: MAILER-DAEMON@mx.docomo.ne.jp\r\nSubject: <script>window.__pwned='raw'</script>\r\n\r\n<img src=x onerror=\"window.__pwned='rawimg'\">\r\n"
)

// uiFixture is a real Redis with records, and the real handler on
// httptest.
type uiFixture struct {
	srv   *httptest.Server
	store *suppress.Store
	write string
}

func newUIFixture(t *testing.T) *uiFixture {
	t.Helper()
	rs := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	t.Cleanup(func() { c.Close() })
	st := suppress.New(c, "{ui}", suppress.DefaultPolicy(), nil)
	raws, err := rawstore.New(rawstore.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rawHash, err := raws.Put(ctx, []byte(hostileRaw))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	apply := func(e suppress.Entry) {
		t.Helper()
		if e.Kind == "" {
			e.Kind = "bounce"
		}
		if _, err := st.Apply(ctx, e); err != nil {
			t.Fatalf("Apply(%s) = %v", e.Recipient, err)
		}
	}
	hard := func(key, addr string, at time.Time) suppress.Entry {
		return suppress.Entry{IdempotencyKey: key, Recipient: addr, Verdict: outcome.Verdict{Reason: "user_unknown", Category: "user_unknown", Hard: true,
			Status: "5.1.1", ReplyCode: "550",
			Diagnostic: "550 5.1.1 <" + addr + ">: Recipient address rejected: User unknown",
			RemoteMTA:  "mx.example.com", Rule: "status-5.1.1", Confidence: "high", Format: "rfc3464",
			OriginalSubject: "Your order 1234", OriginalMessageID: "<order-1234@shop.example>"}, At: at}
	}
	// Two bounces for alice (history), one each for alina and bob.
	e := hard("alice-1", "alice@example.com", now.Add(-3*time.Hour))
	e.Status, e.Diagnostic = "4.2.2", "452 4.2.2 mailbox full"
	e.Reason, e.Category, e.Hard = "mailbox_full", "mailbox_full", false
	apply(e)
	apply(hard("alice-2", "alice@example.com", now.Add(-2*time.Hour)))
	apply(hard("alina-1", "alina@example.com", now.Add(-100*time.Minute)))
	apply(hard("bob-1", "bob@example.org", now.Add(-90*time.Minute)))
	m := hard("mallory-1", "mallory@docomo.ne.jp", now.Add(-80*time.Minute))
	m.Diagnostic, m.OriginalSubject, m.RemoteMTA, m.Raw = hostileDiagnostic, hostileSubject, "mfsmax.docomo.ne.jp", rawHash
	apply(m)
	// Every day one bounce at gmail.com and one block at docomo.ne.jp;
	// two days ago a spike of 30 more blocks at docomo.ne.jp.
	for d := 1; d <= 14; d++ {
		at := now.AddDate(0, 0, -d)
		apply(hard(fmt.Sprintf("gmail-%d", d), fmt.Sprintf("user%d@gmail.com", d), at))
		block := func(key, addr string) suppress.Entry {
			return suppress.Entry{IdempotencyKey: key, Recipient: addr, Verdict: outcome.Verdict{Kind: "bounce", Reason: "blocked", Category: "policy_block",
				Status: "5.7.1", ReplyCode: "550", Diagnostic: "550 5.7.1 blocked by the recipient's filter"}, At: at}
		}
		apply(block(fmt.Sprintf("docomo-%d", d), fmt.Sprintf("taro%d@docomo.ne.jp", d)))
		if d == 2 {
			for i := range 30 {
				apply(block(fmt.Sprintf("spike-%d", i), fmt.Sprintf("spike%02d@docomo.ne.jp", i)))
			}
		}
	}
	f := &uiFixture{store: st, write: "write-tok-ui"}
	f.srv = httptest.NewServer(Handler(Options{Store: st, ReadToken: "read-tok-ui", WriteToken: f.write, Raw: raws}))
	t.Cleanup(f.srv.Close)
	return f
}

// browser starts headless Chromium for t and records what the page
// writes to the console: exceptions, console.error and CSP refusals.
type browser struct {
	t       *testing.T
	ctx     context.Context
	mu      sync.Mutex
	console []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no chromium binary found, and CI must run the browser tests: .ci/run installs Debian's chromium")
		}
		t.Skip("no chromium binary found (install Debian's chromium package, or set BOUNCED_CHROMIUM): browser test skipped")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{t: t}
	ctx, cancelB := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(func() { cancelB(); cancelA() })
	b.ctx = ctx
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Logf("browser: %s", bin)
	return b
}

func (b *browser) listen(ev any) {
	var line string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		line = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			line += " " + ev.ExceptionDetails.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeWarning {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, string(a.Value)+a.Description)
		}
		line = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
	case *log.EventEntryAdded:
		if ev.Entry.Level != log.EntryLevelError {
			return
		}
		// The browser asks for /favicon.ico on its own: the 404 is not the page's.
		if strings.Contains(ev.Entry.URL, "/favicon.ico") {
			return
		}
		line = "log " + string(ev.Entry.Source) + ": " + ev.Entry.Text + " " + ev.Entry.URL
	default:
		return
	}
	b.mu.Lock()
	b.console = append(b.console, line)
	b.mu.Unlock()
}

// consoleErrors returns what the page wrote to the console as errors.
func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.console...)
}

// do runs steps, failing the test with what names them.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v (console: %q)", what, err, b.consoleErrors())
	}
}

// wait polls the JavaScript condition cond until it is true, for at most
// a minute (CI runs every package's tests at once).
func (b *browser) wait(what, cond string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingInterval(50*time.Millisecond),
		chromedp.WithPollingTimeout(time.Minute))); err != nil {
		dctx, dcancel := context.WithTimeout(b.ctx, 5*time.Second)
		defer dcancel()
		state, serr := chromedp.Run(dctx, chromedp.Evaluate[string](`document.getElementById("status").textContent + " | dialog open: " + document.getElementById("confirm").open`))
		if serr != nil {
			state = serr.Error()
		}
		b.t.Fatalf("%s: %v (page says %q; console: %q)", what, err, state, b.consoleErrors())
	}
}

// eval returns the JSON value of expr.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// listed returns the addresses of the list's rows.
func listed(b *browser) []string {
	return eval[[]string](b, `Array.from(document.querySelectorAll("#rows tr")).map((r) => r.dataset.address)`)
}

// setField sets the value of the form field sel as typing would, with
// its input and change events.
func setField(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		e.value = %s;
		if (e.value !== %[2]s) throw new Error("cannot set " + %[1]s);
		e.dispatchEvent(new Event("input", {bubbles: true}));
		e.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, jsString(sel), jsString(value)))
}

func setHeaders(h network.Headers) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: h})
		return chromedp.Void{}, err
	}
}

// screenshot saves a PNG of the tab (the whole page when full, else what
// the screen shows) in $BOUNCED_UI_SCREENSHOTS (else the test's temporary
// directory), checks that it is one, and returns its path.
func (b *browser) screenshot(name string, wantWidth int, full bool) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100)
	}
	buf, err := chromedp.Run(ctx, shot)
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		b.t.Fatalf("screenshot %s is not a PNG: %v", name, err)
	}
	if w := img.Bounds().Dx(); w != wantWidth {
		b.t.Errorf("screenshot %s is %d pixels wide, want %d", name, w, wantWidth)
	}
	dir := os.Getenv("BOUNCED_UI_SCREENSHOTS")
	if dir == "" {
		dir = b.t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s (%d bytes; set BOUNCED_UI_SCREENSHOTS=dir to keep it)", p, len(buf))
	return p
}

// TestPage_browser drives the operator page in headless Chromium against
// the real handler over a real Redis: enter the token, search by prefix,
// open a detail with its evidence, history and raw bounce, lift with a
// note through the confirmation, see the address gone from the list, a
// hostile diagnostic shown as text that runs nothing, the charts with the
// docomo.ne.jp spike called out, the allowlist, the Japanese page (from
// the switch and from Accept-Language) and the phone layout at 390x844
// with its Lift button on screen; with screenshots.
func TestPage_browser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: not in -short")
	}
	f := newUIFixture(t)
	b := newBrowser(t)

	// Load, enter the token.
	b.do("load the page", chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#token")))
	if lang := eval[string](b, `document.documentElement.lang`); lang != "en" {
		t.Errorf("html lang = %q, want en (the browser asks for English)", lang)
	}
	b.do("enter the token", chromedp.SendKeys(chromedp.CSS("#token"), f.write), chromedp.Click(chromedp.CSS("#token-save")))
	b.wait("the first page", `document.querySelectorAll("#rows tr").length > 0`)
	if loc := eval[string](b, `location.href`); strings.Contains(loc, f.write) {
		t.Errorf("the token is in the URL: %s", loc)
	}
	if got := eval[string](b, `sessionStorage.getItem("bounced.token")`); got != f.write {
		t.Errorf("sessionStorage token = %q, want the token typed", got)
	}
	if v := eval[string](b, `document.getElementById("token").value`); v != "" {
		t.Errorf("the token stays in the input: %q", v)
	}

	// Search by prefix.
	b.do("search ali", setField("#f-prefix", "ali"), chromedp.Click(chromedp.CSS("#search")))
	b.wait("the prefix page", `Array.from(document.querySelectorAll("#rows tr")).map((r) => r.dataset.address).join() === "alice@example.com,alina@example.com"`)

	// A filter: the domain.
	b.do("filter by domain", setField("#f-prefix", ""), setField("#f-domain", "example.org"),
		chromedp.Click(chromedp.CSS("#search")))
	b.wait("the domain's page", `Array.from(document.querySelectorAll("#rows tr")).map((r) => r.dataset.address).join() === "bob@example.org"`)

	// Paging with the cursor, 10 a page: every suppressed address once.
	all, err := f.store.Query(context.Background(), suppress.QueryOptions{Limit: suppress.MaxPageSize})
	if err != nil || len(all.Records) <= 10 || all.Next != "" {
		t.Fatalf("Query = %d records, next %q, %v; want more than a page of 10, in one", len(all.Records), all.Next, err)
	}
	// A page is loaded when its rows replaced those marked stale.
	stale := chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#rows tr").forEach((r) => { r.dataset.stale = "1"; })`)
	fresh := func(pg int) string {
		return fmt.Sprintf(`document.getElementById("pageinfo").textContent.startsWith("Page %d:") && document.querySelectorAll("#rows tr").length > 0 && !document.querySelector("#rows tr[data-stale]")`, pg)
	}
	b.do("10 a page", setField("#f-domain", ""), setField("#f-limit", "10"), stale,
		chromedp.Click(chromedp.CSS("#search")))
	seen := map[string]int{}
	var firstPage []string
	for pg := 1; ; pg++ {
		b.wait(fmt.Sprintf("page %d", pg), fresh(pg))
		rows := listed(b)
		if pg == 1 {
			firstPage = rows
		}
		if len(rows) > 10 {
			t.Errorf("page %d has %d rows, want at most 10", pg, len(rows))
		}
		for _, a := range rows {
			seen[a]++
		}
		if eval[bool](b, `document.getElementById("next").disabled`) {
			break
		}
		if pg > 5 {
			t.Fatal("the pages never end")
		}
		b.do("next page", stale, chromedp.Click(chromedp.CSS("#next")))
	}
	if len(seen) != len(all.Records) {
		t.Errorf("the pages show %d addresses, want the %d suppressed", len(seen), len(all.Records))
	}
	for a, n := range seen {
		if n != 1 {
			t.Errorf("%s shown on %d pages", a, n)
		}
	}
	b.do("first page", stale, chromedp.Click(chromedp.CSS("#first")))
	b.wait("page 1 again", fresh(1))
	if got := listed(b); strings.Join(got, ",") != strings.Join(firstPage, ",") {
		t.Errorf("first page again = %v, want %v", got, firstPage)
	}
	b.do("search ali again", setField("#f-limit", "50"), setField("#f-prefix", "ali"),
		chromedp.Click(chromedp.CSS("#search")))
	b.wait("the prefix page again", `Array.from(document.querySelectorAll("#rows tr")).map((r) => r.dataset.address).join() === "alice@example.com,alina@example.com"`)

	// Open alice's detail: evidence, every bounce, the audit trail.
	b.do("open alice", chromedp.Click(chromedp.CSS(`#rows tr[data-address="alice@example.com"] button.addr`)))
	b.wait("alice's detail", `!document.getElementById("view-detail").hidden && document.getElementById("d-address").textContent === "alice@example.com"`)
	for sel, want := range map[string]string{
		"dd.f-remote-mta":          "mx.example.com",
		"dd.f-rule":                "status-5.1.1",
		"dd.f-confidence":          "high",
		"dd.f-original-subject":    "Your order 1234",
		"dd.f-original-message-id": "<order-1234@shop.example>",
		"dd.f-status":              "5.1.1",
		"dd.f-diagnostic":          "550 5.1.1 <alice@example.com>: Recipient address rejected: User unknown",
	} {
		if got := eval[string](b, `(document.querySelector("#d-evidence `+sel+`") || {}).textContent || ""`); got != want {
			t.Errorf("detail %s = %q, want %q", sel, got, want)
		}
	}
	if n := eval[int](b, `document.querySelectorAll("#d-bounces tr").length`); n != 2 {
		t.Errorf("alice's detail lists %d bounces, want 2", n)
	}

	// Lift: cancelling the confirmation changes nothing.
	b.do("lift, then cancel", chromedp.Click(chromedp.CSS("#d-lift")), chromedp.WaitVisible(chromedp.CSS("#confirm")),
		chromedp.Click(chromedp.CSS("#confirm-cancel")))
	b.wait("the dialog closes", `!document.getElementById("confirm").open`)
	if rec, err := f.store.Get(context.Background(), "alice@example.com"); err != nil || !rec.Suppressed {
		t.Fatalf("after a cancelled lift alice = %+v, %v; want still suppressed", rec, err)
	}
	// Lift with a note, confirmed.
	const note = "the customer fixed the mailbox"
	b.do("lift with a note", chromedp.Click(chromedp.CSS("#d-lift")), chromedp.WaitVisible(chromedp.CSS("#confirm-note")),
		chromedp.SendKeys(chromedp.CSS("#confirm-note"), note), chromedp.Click(chromedp.CSS("#confirm-ok")))
	b.wait("the lift in the audit trail", `Array.from(document.querySelectorAll("#d-audit tr")).some((r) => r.textContent.includes(`+jsString(note)+`))`)
	rec, err := f.store.Get(context.Background(), "alice@example.com")
	if err != nil || rec.Suppressed {
		t.Fatalf("after the lift alice = %+v, %v; want not suppressed", rec, err)
	}
	aud, err := f.store.AddressAudit(context.Background(), "alice@example.com")
	if err != nil || len(aud) == 0 || aud[0].Note != note || aud[0].Actor != "web" {
		t.Errorf("alice's audit = %+v, %v; want the lift by web with the note", aud, err)
	}
	// Gone from the list.
	b.do("back to the list", chromedp.Click(chromedp.CSS("#back")))
	b.wait("alice gone", `Array.from(document.querySelectorAll("#rows tr")).map((r) => r.dataset.address).join() === "alina@example.com"`)

	// The hostile diagnostic: text, and nothing ran.
	b.do("search mallory", setField("#f-prefix", "mallory"), chromedp.Click(chromedp.CSS("#search")))
	b.wait("mallory listed", `document.querySelectorAll('#rows tr[data-address="mallory@docomo.ne.jp"]').length === 1`)
	if got := eval[string](b, `document.querySelector('#rows tr[data-address="mallory@docomo.ne.jp"] td.diag').textContent`); !strings.Contains(got, hostileDiagnostic) {
		t.Errorf("the list shows the diagnostic as %q, want the text %q", got, hostileDiagnostic)
	}
	b.do("open mallory", chromedp.Click(chromedp.CSS(`#rows tr[data-address="mallory@docomo.ne.jp"] button.addr`)))
	b.wait("mallory's detail", `document.getElementById("d-address").textContent === "mallory@docomo.ne.jp"`)
	if got := eval[string](b, `document.querySelector("#d-evidence dd.f-diagnostic").textContent`); got != hostileDiagnostic {
		t.Errorf("detail diagnostic = %q, want the literal text %q", got, hostileDiagnostic)
	}
	if got := eval[string](b, `document.querySelector("#d-evidence dd.f-original-subject").textContent`); got != hostileSubject {
		t.Errorf("detail subject = %q, want the literal text %q", got, hostileSubject)
	}
	b.do("show the raw bounce", chromedp.Click(chromedp.CSS("#d-raw")))
	b.wait("the raw bounce", `!document.getElementById("d-rawtext").hidden && document.getElementById("d-rawtext").textContent.includes("MAILER-DAEMON@mx.docomo.ne.jp")`)
	if got := eval[string](b, `document.getElementById("d-rawtext").textContent`); got != strings.ReplaceAll(hostileRaw, "\r\n", "\n") && got != hostileRaw {
		t.Errorf("raw bounce shown = %q, want the message as text", got)
	}
	b.screenshot("desktop-detail", 1280, true)
	noScript := `typeof window.__pwned === "undefined" && document.querySelectorAll("img, svg:not(.bars), iframe, object, embed").length === 0 && document.scripts.length === 1`
	if !eval[bool](b, noScript) {
		t.Errorf("a script or element from the bounce got into the page: __pwned=%v, elements=%v", eval[any](b, `window.__pwned || null`),
			eval[[]string](b, `Array.from(document.querySelectorAll("img, svg, iframe, object, embed, script")).map((e) => e.outerHTML.slice(0, 80))`))
	}

	// The charts: the docomo.ne.jp spike stands out.
	b.do("open the charts", chromedp.Click(chromedp.CSS(`#nav button[data-view="charts"]`)))
	b.wait("the charts", `document.querySelector("#c-domain svg") && document.querySelector("#c-category svg") && document.querySelector("#c-carrier svg")`)
	spikes := eval[[]string](b, `Array.from(document.querySelectorAll("#c-spikes li.spike")).map((l) => l.dataset.name)`)
	if len(spikes) == 0 || spikes[0] != "docomo.ne.jp" && spikes[0] != "docomo" || !contains(spikes, "docomo.ne.jp") || !contains(spikes, "docomo") || contains(spikes, "gmail.com") {
		t.Errorf("spikes called out = %v, want docomo.ne.jp and docomo (and not gmail.com)", spikes)
	}
	spikeDay := time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly)
	if got, want := eval[string](b, `document.querySelector('#c-spikes li[data-name="docomo.ne.jp"]').textContent`),
		"Spike: docomo.ne.jp, 31 on "+spikeDay+", 31× its usual 1 a day."; got != want {
		t.Errorf("the docomo.ne.jp spike reads %q, want %q", got, want)
	}
	if n := eval[int](b, `document.querySelectorAll('#c-domain rect.hot[data-series="docomo.ne.jp"]').length`); n < 14 {
		t.Errorf("the domain chart marks %d docomo.ne.jp bars, want every day's", n)
	}
	if n := eval[int](b, `document.querySelectorAll('#c-category rect[data-series="policy_block"]').length`); n < 14 {
		t.Errorf("the category chart has %d policy_block bars, want one a day", n)
	}
	b.screenshot("desktop-charts", 1280, true)

	// The allowlist: add an entry through the confirmation.
	b.do("open the allowlist", chromedp.Click(chromedp.CSS(`#nav button[data-view="allow"]`)),
		chromedp.SendKeys(chromedp.CSS("#al-entry"), "partner.example"), chromedp.SendKeys(chromedp.CSS("#al-note"), "our own domain"),
		chromedp.Click(chromedp.CSS(`#allowform button`)), chromedp.WaitVisible(chromedp.CSS("#confirm-ok")), chromedp.Click(chromedp.CSS("#confirm-ok")))
	b.wait("the allowlist entry", `document.querySelectorAll('#al-rows tr[data-entry="partner.example"]').length === 1`)
	if list, err := f.store.AllowList(context.Background()); err != nil || !containsEntry(list, "partner.example") {
		t.Errorf("store allowlist = %v, %v; want partner.example", list, err)
	}

	// Add by hand, with a note, through the confirmation.
	b.do("add by hand", chromedp.Click(chromedp.CSS(`#nav button[data-view="add"]`)),
		chromedp.SendKeys(chromedp.CSS("#a-address"), "hand@example.net"), setField("#a-reason", "user_unknown"),
		chromedp.SendKeys(chromedp.CSS("#a-note"), "asked by the customer"), chromedp.Click(chromedp.CSS(`#addform button`)),
		chromedp.WaitVisible(chromedp.CSS("#confirm-ok")), chromedp.Click(chromedp.CSS("#confirm-ok")))
	b.wait("the addition", `document.querySelector("#a-results li") && document.querySelector("#a-results li").textContent === "hand@example.net: added"`)
	if rec, err := f.store.Get(context.Background(), "hand@example.net"); err != nil || !rec.Suppressed || rec.Reason != "user_unknown" || rec.Note != "asked by the customer" {
		t.Errorf("after the addition hand@example.net = %+v, %v; want suppressed for user_unknown with the note", rec, err)
	}
	// The audit view lists the lift and the addition.
	b.do("open the audit", chromedp.Click(chromedp.CSS(`#nav button[data-view="audit"]`)))
	b.wait("the audit", `(() => { const t = document.getElementById("au-rows").textContent;
		return t.includes("alice@example.com") && t.includes(`+jsString(note)+`) && t.includes("hand@example.net"); })()`)

	// Switch to Japanese.
	b.do("switch to Japanese", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("lang"); s.value = "ja"; s.dispatchEvent(new Event("change")); })()`))
	b.wait("Japanese", `document.documentElement.lang === "ja"`)
	if got := eval[string](b, `document.querySelector('#nav button[data-view="list"]').textContent`); got != "配信停止一覧" {
		t.Errorf("list button in Japanese = %q, want 配信停止一覧", got)
	}
	if got := eval[string](b, `document.querySelector("#view-allow h2").textContent`); got != "許可リスト" {
		t.Errorf("allowlist title in Japanese = %q, want 許可リスト", got)
	}

	// A phone: 390x844, the list as cards, the Lift button on screen.
	// The page loads again on the phone: the tab keeps the token and the
	// language, and the list comes at once.
	b.do("a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(f.srv.URL+"/"))
	b.wait("the whole list", `document.documentElement.lang === "ja" && document.querySelectorAll("#rows tr").length >= 10`)
	if eval[bool](b, `document.getElementById("more").open`) {
		t.Errorf("the filters beyond the prefix are unfolded on a phone")
	}
	if got := eval[string](b, `document.querySelector("#rows button.lift").textContent`); got != "停止を解除" {
		t.Errorf("Lift in Japanese = %q, want 停止を解除", got)
	}
	onScreen := `(() => {
		const b = document.querySelector(%s);
		b.scrollIntoView({block: "center"});
		const r = b.getBoundingClientRect();
		const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
			hit: hit === b, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth};
	})()`
	type box struct {
		Left, Right, Top, Bottom, Width, Height float64
		Hit                                     bool
		ScrollWidth, InnerWidth                 int
	}
	checkOnScreen := func(what, sel string) {
		t.Helper()
		r := eval[box](b, fmt.Sprintf(onScreen, jsString(sel)))
		if r.InnerWidth != 390 {
			t.Errorf("%s: viewport is %d wide, want 390", what, r.InnerWidth)
		}
		if r.Width < 40 || r.Height < 30 || r.Left < 0 || r.Right > 390 || r.Top < 0 || r.Bottom > 844 || !r.Hit {
			t.Errorf("%s: button at %+v, want whole, on a 390x844 screen and not covered", what, r)
		}
		if r.ScrollWidth > 390 {
			t.Errorf("%s: the page is %d pixels wide on a 390 pixel screen", what, r.ScrollWidth)
		}
	}
	checkOnScreen("list", "#rows button.lift")
	b.do("scroll to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	b.screenshot("phone-list", 390, false)
	first := listed(b)[0]
	b.do("open the first on the phone", chromedp.Click(chromedp.CSS(`#rows tr[data-address="`+first+`"] button.addr`)))
	b.wait("its detail", `!document.getElementById("view-detail").hidden && document.getElementById("d-address").textContent === `+jsString(first))
	checkOnScreen("detail", "#d-lift")
	// The Lift button works with a tap of the phone.
	b.do("lift on the phone", chromedp.Click(chromedp.CSS("#d-lift")), chromedp.WaitVisible(chromedp.CSS("#confirm-note")),
		chromedp.SendKeys(chromedp.CSS("#confirm-note"), "phone"), chromedp.Click(chromedp.CSS("#confirm-ok")))
	b.wait("lifted on the phone", `document.getElementById("d-lift").hidden`)
	if rec, err := f.store.Get(context.Background(), first); err != nil || rec.Suppressed {
		t.Errorf("after the lift on the phone %s = %+v, %v; want not suppressed", first, rec, err)
	}

	// Accept-Language: ja gives the Japanese page in a new tab, which has
	// no token (sessionStorage is per tab).
	tab, cancelTab := chromedp.NewContext(b.ctx)
	defer cancelTab()
	if err := chromedp.Do(tab); err != nil { // the tab lives as long as this context
		t.Fatal(err)
	}
	jb := &browser{t: t, ctx: tab}
	jb.do("a Japanese browser", setHeaders(network.Headers{"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.5"}),
		chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#token")))
	jb.wait("Japanese from Accept-Language", `document.documentElement.lang === "ja"`)
	if got := eval[string](jb, `document.getElementById("status").textContent`); got != "読み取りトークン（変更には書き込みトークン）を入力してください。" {
		t.Errorf("status in Japanese = %q", got)
	}
	if got := eval[string](jb, `sessionStorage.getItem("bounced.token") || ""`); got != "" {
		t.Errorf("a new tab has the token %q", got)
	}

	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("the page wrote errors to the console:\n%s", strings.Join(errs, "\n"))
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func containsEntry(list []suppress.AllowEntry, e string) bool {
	for _, a := range list {
		if a.Entry == e {
			return true
		}
	}
	return false
}

// jsString quotes s as a JavaScript string.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestPage_browserWebhooks opens the Webhooks view in headless Chromium
// with an endpoint whose events were dead-lettered: it is marked, its
// last dead letters are listed newest first with the receiver's words as
// text, and the replay command is shown; in English, then in Japanese.
func TestPage_browserWebhooks(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: not in -short")
	}
	rs := testutil.StartRedis(t)
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	t.Cleanup(func() { c.Close() })
	st := suppress.New(c, "{uiwh}", suppress.DefaultPolicy(), nil)
	srv := httptest.NewServer(Handler(Options{Store: st, ReadToken: "read-tok-wh", Webhooks: fixtureWebhooks}))
	t.Cleanup(srv.Close)
	b := newBrowser(t)

	b.do("load the page", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#token")),
		chromedp.SendKeys(chromedp.CSS("#token"), "read-tok-wh"), chromedp.Click(chromedp.CSS("#token-save")))
	b.wait("the (empty) list", `document.getElementById("pageinfo").textContent.startsWith("Page 1:")`)
	b.do("open the webhooks", chromedp.Click(chromedp.CSS(`#nav button[data-view="webhooks"]`)))
	b.wait("the endpoints", `document.querySelectorAll("#wh-rows tr").length === 2 && document.querySelector('#wh-dead .deadbox[data-endpoint="crm"]')`)

	text := func(sel string) string {
		t.Helper()
		return eval[string](b, `(document.querySelector(`+jsString(sel)+`) || {}).textContent || ""`)
	}
	if !eval[bool](b, `document.querySelector('#wh-rows tr[data-endpoint="crm"]').classList.contains("dead")`) {
		t.Errorf("the crm row is not marked as having dead letters")
	}
	if eval[bool](b, `document.querySelector('#wh-rows tr[data-endpoint="audit"]').classList.contains("dead")`) {
		t.Errorf("the audit row is marked, and it has no dead letters")
	}
	for sel, want := range map[string]string{
		`#wh-rows tr[data-endpoint="crm"] td.deadcount`:     "3",
		`#wh-rows tr[data-endpoint="audit"] td.deadcount`:   "0",
		`#wh-rows tr[data-endpoint="crm"] td.addr`:          "https://crm.shop.example/in?…",
		`#wh-rows tr[data-endpoint="audit"] td.addr`:        "http://127.0.0.1:9000/events",
		`#wh-dead .deadbox[data-endpoint="crm"] h3`:         "Dead letters of crm: 3 stored in bounced.deadletter.crm",
		`#wh-dead .deadbox[data-endpoint="crm"] pre.replay`: "bounced webhooks replay --endpoint crm --since 2026-12-01T09:28:00Z",
		`#wh-replay-generic`:                                "bounced webhooks replay --endpoint NAME --since TIME",
		`#status`:                                           "2 webhook endpoint(s); 1 with dead letters.",
	} {
		if got := text(sel); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if got := eval[[]string](b, `Array.from(document.querySelectorAll('#wh-dead .deadbox[data-endpoint="crm"] tbody tr')).map((r) => r.dataset.id)`); strings.Join(got, ",") != "k3:carol@example.jp,k2:bob@example.jp,k1:alice@example.jp" {
		t.Errorf("crm's dead letters listed = %v, want the three, newest first", got)
	}
	if got := text(`#wh-dead .deadbox[data-endpoint="crm"] tbody tr td.diag`); got != hostileDeadError {
		t.Errorf("a dead letter's error shows as %q, want the literal text %q", got, hostileDeadError)
	}
	if n := eval[int](b, `document.querySelectorAll('#wh-dead .deadbox[data-endpoint="audit"]').length`); n != 0 {
		t.Errorf("audit has %d dead-letter boxes, want none", n)
	}
	if strings.Contains(eval[string](b, `document.body.textContent`), "s3cret") {
		t.Error("the page shows the URL's password")
	}
	if !eval[bool](b, `typeof window.__pwned === "undefined" && document.querySelectorAll("img, iframe, object, embed").length === 0`) {
		t.Errorf("an element or script from a receiver's answer got into the page")
	}
	b.screenshot("desktop-webhooks", 1280, true)

	b.do("switch to Japanese", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("lang"); s.value = "ja"; s.dispatchEvent(new Event("change")); })()`))
	b.wait("Japanese", `document.documentElement.lang === "ja"`)
	for sel, want := range map[string]string{
		`#nav button[data-view="webhooks"]`:                 "Webhook",
		`#view-webhooks h2`:                                 "Webhookの送信先",
		`#wh-dead .deadbox[data-endpoint="crm"] h3`:         "crm のデッドレター: bounced.deadletter.crm に 3件",
		`#wh-rows tr[data-endpoint="crm"] td.deadcount`:     "3",
		`#wh-dead .deadbox[data-endpoint="crm"] pre.replay`: "bounced webhooks replay --endpoint crm --since 2026-12-01T09:28:00Z",
		`#status`: "Webhookの送信先 2件（うちデッドレターあり 1件）。",
	} {
		if got := text(sel); got != want {
			t.Errorf("in Japanese %s = %q, want %q", sel, got, want)
		}
	}
	if got := eval[string](b, `document.querySelector('#wh-rows tr[data-endpoint="crm"] td.deadcount').dataset.label`); got != "デッドレター" {
		t.Errorf("the dead-lettered count's label in Japanese = %q, want デッドレター", got)
	}
	if got := eval[[]string](b, `Array.from(document.querySelectorAll("#view-webhooks > table th")).map((h) => h.textContent)`); !contains(got, "デッドレター") || !contains(got, "送信先") {
		t.Errorf("the table's headings in Japanese = %v", got)
	}
	if n := eval[int](b, `document.querySelectorAll('#wh-dead .deadbox[data-endpoint="crm"] tbody tr').length`); n != 3 {
		t.Errorf("in Japanese crm lists %d dead letters, want 3", n)
	}
	// A phone: the view fits the screen's width.
	b.do("a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.wait("the phone layout", `window.innerWidth === 390`)
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the webhooks view is %d pixels wide on a 390 pixel screen", w)
	}
	b.screenshot("phone-webhooks", 390, true)
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("the page wrote errors to the console:\n%s", strings.Join(errs, "\n"))
	}
}
