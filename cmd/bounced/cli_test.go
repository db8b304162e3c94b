package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/bounced-dev/bounced/internal/suppress"
	"github.com/bounced-dev/bounced/internal/testutil"
	"github.com/bounced-dev/bounced/outcome"
)

// testVersion is linked into the binary the CLI tests build, as a tagged
// build would be.
const testVersion = "v0.9.3-clitest"

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// TestMain removes the binary cliBinary built.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// cliBinary builds bounced once for the tests of this file, with
// -X main.version.
func cliBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "bounced-cli-test-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "bounced")
		out, err := exec.Command("go", "build", "-ldflags", "-X main.version="+testVersion, "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binPath
}

// bin runs the binary with args and env (and nothing of the test's own
// BOUNCED_* environment), and returns its exit status, stdout and stderr.
func bin(t *testing.T, env []string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cliBinary(t), args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BOUNCED_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errb.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errb.String()
	}
	t.Fatalf("bounced %v: %v", args, err)
	return 0, "", ""
}

// commandPaths returns the path of every command of the tree, the root's
// (empty) first.
func commandPaths() [][]string {
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			walk(sub, append(slices.Clone(path), sub.Name()))
		}
	}
	root := newRoot(&streams{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	walk(root, nil)
	return paths
}

// TestCLI_helpEverywhere walks the command tree: --help and -h print the
// usage on stdout and exit 0, with flags before the subcommand too.
func TestCLI_helpEverywhere(t *testing.T) {
	paths := commandPaths()
	var names []string
	for _, p := range paths {
		names = append(names, strings.Join(p, " "))
	}
	for _, want := range []string{"parse", "run", "suppressions list", "suppressions show", "suppressions add", "suppressions lift",
		"suppressions import", "suppressions export", "suppressions audit", "suppressions allow add", "suppressions allow list",
		"suppressions check", "suppressions reapply", "suppressions delivered", "suppressions deliveries", "stats", "verp sign",
		"verp verify", "check", "rebuild", "webhooks list", "webhooks replay", "webhooks secret", "version"} {
		if !slices.Contains(names, want) {
			t.Errorf("command tree %q lacks %q", names, want)
		}
	}
	for _, p := range paths {
		for _, h := range []string{"--help", "-h"} {
			args := append(slices.Clone(p), h)
			code, out, errs := bin(t, nil, "", args...)
			if code != 0 || !strings.Contains(out, "usage:") || errs != "" {
				t.Errorf("bounced %s = %d, stdout %q, stderr %q; want 0 and the usage on stdout", strings.Join(args, " "), code, out, errs)
			}
		}
	}
	// Flags before the subcommand, and help as a command.
	for _, args := range [][]string{{"suppressions", "--config", "/nonexistent", "add", "--help"}, {"help", "suppressions", "add"}} {
		if code, out, _ := bin(t, nil, "", args...); code != 0 || !strings.Contains(out, "bounced suppressions add [flags] ADDRESS") {
			t.Errorf("bounced %v = %d %q", args, code, out)
		}
	}
}

// TestCLI_usageErrors: an unknown command, flag or subcommand, or a
// wrong number of arguments exits 2 with a message.
func TestCLI_usageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "usage:"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"suppressions", "list", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"suppressions", "--bogus", "list"}, "unknown flag: --bogus"},
		{[]string{"stats", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"suppressions", "frobnicate"}, `unknown subcommand "frobnicate"`},
		{[]string{"suppressions", "show"}, "accepts 1 arg(s), received 0"},
		{[]string{"suppressions", "list", "--limit", "many"}, "invalid argument"},
		{[]string{"version", "extra"}, "unknown command"},
	} {
		code, out, errs := bin(t, nil, "", tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("bounced %v = %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, errs, tc.want)
		}
	}
}

// TestCLI_version: the version set with -ldflags -X, the build info's Go
// version, from `version`, `--version` and the older `-version`.
func TestCLI_version(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, out, errs := bin(t, nil, "", args...)
		if code != 0 || !strings.HasPrefix(out, "bounced "+testVersion+"\n") || !strings.Contains(out, runtime.Version()) {
			t.Errorf("bounced %v = %d %q %q; want %s and %s", args, code, out, errs, testVersion, runtime.Version())
		}
	}
	code, out, _ := bin(t, nil, "", "version", "--format", "json")
	var b buildInfo
	if err := json.Unmarshal([]byte(out), &b); err != nil || code != 0 || b.Version != testVersion || b.Go != runtime.Version() ||
		b.Module != "github.com/bounced-dev/bounced" {
		t.Errorf("version --format json = %d %q (%v); want %s, %s", code, out, err, testVersion, runtime.Version())
	}
}

// TestVersionString_devel: without -X main.version, the build info
// decides; a test binary has no module version.
func TestVersionString_devel(t *testing.T) {
	if v := versionString(); v != "devel" && !strings.HasPrefix(v, "devel-") && !strings.HasPrefix(v, "v") {
		t.Errorf("versionString() = %q, want devel, devel-REVISION or a module version", v)
	}
	if got := versionText(); !strings.Contains(got, "go        "+runtime.Version()) {
		t.Errorf("versionText() = %q, want the Go version", got)
	}
}

// TestCLI_legacySingleDash: flags written -name as the flag package took
// them still work.
func TestCLI_legacySingleDash(t *testing.T) {
	code, out, errs := bin(t, nil, "", "check", "-format", "json", "taro.@docomo.ne.jp")
	if code != 1 || !strings.Contains(out, `"suggestion": "taro@docomo.ne.jp"`) {
		t.Errorf("check -format json = %d %q %q", code, out, errs)
	}
}

// cliConfig writes a configuration that names the Redis at addr and a
// mailbox, an API token and a webhook whose secrets are in environment
// variables that are not set: what a machine where an operator runs the
// CLI looks like.
func cliConfig(t *testing.T, addr string) string {
	return writeConfig(t, `redis:
  url: redis://`+addr+`/0
http:
  read_token: env:BOUNCED_TEST_UNSET_READ_TOKEN
  write_token: env:BOUNCED_TEST_UNSET_WRITE_TOKEN
mailboxes:
  - name: shop
    addr: imap.shop.example:993
    username: bounces@shop.example
    password: env:BOUNCED_TEST_UNSET_IMAP_PASSWORD
webhooks:
  - name: crm
    url: https://crm.example/hook
    secret: env:BOUNCED_TEST_UNSET_WEBHOOK_SECRET
`)
}

func parseJSONL[T any](t *testing.T, out string) []T {
	t.Helper()
	var got []T
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var v T
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("JSON line %q: %v", l, err)
		}
		got = append(got, v)
	}
	return got
}

func parseCSV(t *testing.T, out string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("CSV %q: %v", out, err)
	}
	return recs
}

// TestCLI_suppressionsRedisOnly drives every suppressions subcommand and
// stats through the binary against a real Redis, with a configuration
// whose IMAP password, API tokens and webhook secret are not set, and
// reads their JSON and CSV back.
func TestCLI_suppressionsRedisOnly(t *testing.T) {
	rs := testutil.StartRedis(t)
	cfg := cliConfig(t, rs.Addr)
	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer c.Close()
	st := suppress.New(c, "{bounced}", suppress.DefaultPolicy(), nil)

	// The daemon cannot start with it; the operator's commands can.
	if code, _, errs := bin(t, nil, "", "run", "--check", "--config", cfg); code != 2 || !strings.Contains(errs, "BOUNCED_TEST_UNSET_IMAP_PASSWORD") {
		t.Fatalf("run --check = %d %q, want 2: the configuration lacks the daemon's secrets", code, errs)
	}
	sup := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		return bin(t, nil, stdin, append([]string{"suppressions"}, args...)...)
	}

	// add, flags after the addresses; "-" reads stdin.
	code, out, errs := sup("c@example.net\n", "add", "a@example.com", "B@Example.org", "-", "not an address", "--reason", "user_unknown", "--note", "from the shop's CRM", "--config", cfg, "--actor", "tester")
	res := parseJSONL[suppress.AddResult](t, out)
	if code != 1 || len(res) != 4 || res[0].Status != suppress.AddAdded || res[1].Address != "b@example.org" || res[2].Address != "c@example.net" || res[3].Status != suppress.AddRefused {
		t.Fatalf("add = %d %+v %q; want 3 added, 1 refused, exit 1", code, res, errs)
	}

	// list: JSON (flag before the subcommand), JSON lines, CSV, paging.
	code, out, errs = sup("", "--config", cfg, "list", "--format", "json")
	var page suppress.Page
	if err := json.Unmarshal([]byte(out), &page); err != nil || code != 0 || len(page.Records) != 3 || page.Records[0].Reason != "user_unknown" {
		t.Fatalf("list --format json = %d %q %q (%v)", code, out, errs, err)
	}
	code, out, _ = sup("", "list", "--config", cfg)
	if recs := parseJSONL[suppress.Record](t, out); code != 0 || len(recs) != 3 {
		t.Errorf("list (not a terminal) = %d %q, want 3 JSON lines", code, out)
	}
	code, out, _ = sup("", "list", "--config", cfg, "--format", "csv", "--domain", "example.org")
	if rows := parseCSV(t, out); code != 0 || len(rows) != 2 || !slices.Equal(rows[0], recordHeader) || rows[1][0] != "b@example.org" || rows[1][1] != "user_unknown" {
		t.Errorf("list --format csv --domain example.org = %d %q", code, out)
	}
	code, out, errs = sup("", "list", "--config", cfg, "--limit", "2", "--prefix", "")
	first := parseJSONL[suppress.Record](t, out)
	i := strings.Index(errs, "--cursor ")
	if code != 0 || len(first) != 2 || i < 0 {
		t.Fatalf("list --limit 2 = %d %q %q, want 2 rows and a cursor", code, out, errs)
	}
	cursor := strings.TrimSpace(errs[i+len("--cursor "):])
	code, out, errs = sup("", "list", "--config", cfg, "--cursor", cursor)
	rest := parseJSONL[suppress.Record](t, out)
	if code != 0 || len(rest) != 1 || rest[0].Address == first[0].Address || rest[0].Address == first[1].Address || strings.Contains(errs, "--cursor") {
		t.Errorf("list --cursor = %d %+v %q, want the third address and no more", code, rest, errs)
	}

	// show: the record, its history and audit trail.
	code, out, errs = sup("", "show", "--config", cfg, "A@example.com")
	var shown showResult
	if err := json.Unmarshal([]byte(out), &shown); err != nil || code != 0 || shown.Record == nil || shown.Address != "a@example.com" ||
		!shown.Suppressed || len(shown.Audit) != 1 || shown.Audit[0].Actor != "cli:tester" || shown.Audit[0].Action != "add" {
		t.Fatalf("show = %d %q %q (%v)", code, out, errs, err)
	}

	// lift with a note, then the audit trail in JSON and CSV.
	if code, out, errs := sup("", "lift", "a@example.com", "--note", "customer fixed it", "--config", cfg, "--actor", "tester"); code != 0 || out != "lifted a@example.com\n" {
		t.Errorf("lift = %d %q %q", code, out, errs)
	}
	if ok, _ := st.IsSuppressed(ctx, "a@example.com", "all"); ok {
		t.Error("a@example.com is suppressed after lift")
	}
	code, out, _ = sup("", "audit", "--config", cfg, "--format", "json")
	var aud struct {
		Audit []suppress.AuditEntry `json:"audit"`
	}
	if err := json.Unmarshal([]byte(out), &aud); err != nil || code != 0 || len(aud.Audit) != 4 || aud.Audit[0].Address != "a@example.com" ||
		aud.Audit[0].Note != "customer fixed it" || aud.Audit[0].Actor != "cli:tester" {
		t.Errorf("audit --format json = %d %q (%v); want the lift first, then 3 additions", code, out, err)
	}
	code, out, _ = sup("", "audit", "--config", cfg, "--format", "csv", "--address", "b@example.org")
	if rows := parseCSV(t, out); code != 0 || len(rows) != 2 || rows[0][0] != "at" || rows[1][1] != "add" || rows[1][2] != "b@example.org" || rows[1][6] != "from the shop's CRM" {
		t.Errorf("audit --format csv --address = %d %q", code, out)
	}

	// export in SES's columns and as JSONL to a file, import it back.
	code, out, _ = sup("", "export", "--config", cfg, "--columns", "ses")
	if rows := parseCSV(t, out); code != 0 || len(rows) != 3 || !slices.Equal(rows[0], []string{"EmailAddress", "Reason", "LastUpdateTime"}) || rows[1][0] != "b@example.org" || rows[1][1] != "BOUNCE" {
		t.Errorf("export --columns ses = %d %q", code, out)
	}
	jsonl := filepath.Join(t.TempDir(), "export.jsonl")
	if code, _, errs := sup("", "export", "--config", cfg, "--format", "jsonl", "-o", jsonl); code != 0 || !strings.Contains(errs, "2 rows written") {
		t.Errorf("export -o = %d %q", code, errs)
	}
	b, _ := os.ReadFile(jsonl)
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 2 || !json.Valid([]byte(lines[0])) {
		t.Errorf("exported JSONL = %q", b)
	}
	code, out, errs = sup("", "import", "--config", cfg, jsonl)
	var rep suppress.ImportReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || rep.Rows != 2 || rep.Unchanged != 2 || rep.Added != 0 {
		t.Errorf("import of the export = %d %q %q (%v); want 2 rows unchanged", code, out, errs, err)
	}
	csvFile := filepath.Join(t.TempDir(), "ses.csv")
	os.WriteFile(csvFile, []byte("EmailAddress,Reason,LastUpdateTime\nnew@example.jp,COMPLAINT,2026-11-30T10:00:00Z\nnot-an-address,BOUNCE,2026-11-30T10:00:00Z\n"), 0o600)
	code, out, _ = sup("", "import", "--config", cfg, csvFile, "--format", "json")
	rep = suppress.ImportReport{}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || rep.Added != 1 || rep.Refused != 1 || len(rep.RefusedRows) != 1 || rep.RefusedRows[0].Line != 3 {
		t.Errorf("import ses.csv = %d %q (%v); want 1 added, line 3 refused, exit 1", code, out, err)
	}

	// allowlist.
	if code, out, _ := sup("", "allow", "add", "vip.example", "--config", cfg, "--note", "partner"); code != 0 || !strings.Contains(out, "allowlisted vip.example") {
		t.Errorf("allow add = %d %q", code, out)
	}
	code, out, _ = sup("", "allow", "list", "--config", cfg, "--format", "csv")
	if rows := parseCSV(t, out); code != 0 || len(rows) != 2 || !slices.Equal(rows[1], []string{"vip.example", "store"}) {
		t.Errorf("allow list --format csv = %d %q", code, out)
	}

	// stats: a bounce applied today is counted by category and domain.
	if _, err := st.Apply(ctx, suppress.Entry{IdempotencyKey: "s1", Recipient: "gone@docomo.ne.jp", Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown",
		Hard: true}, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	code, out, errs = bin(t, nil, "", "stats", "--config", cfg, "--format", "csv", "--since", today)
	rows := parseCSV(t, out)
	if code != 0 || len(rows) != 2 || !slices.Equal(rows[0][:4], []string{"day", "total", "suppressed", "user_unknown"}) || rows[1][0] != today || rows[1][1] != "1" || rows[1][3] != "1" {
		t.Errorf("stats --format csv = %d %q %q", code, out, errs)
	}
	// Without any configuration file: --redis-url alone.
	code, out, errs = bin(t, nil, "", "stats", "--redis-url", "redis://"+rs.Addr+"/0", "--since", today, "--by", "carrier", "--format", "json")
	var stats struct {
		Days []suppress.DayStats `json:"days"`
	}
	if err := json.Unmarshal([]byte(out), &stats); err != nil || code != 0 || len(stats.Days) != 1 || stats.Days[0].Carrier["docomo"] != 1 || stats.Days[0].Domain["docomo.ne.jp"] != 1 {
		t.Errorf("stats --redis-url --format json = %d %q %q (%v)", code, out, errs, err)
	}
	// BOUNCED_REDIS_URL too, and a Redis that is not there is exit 1.
	if code, out, _ := bin(t, []string{"BOUNCED_REDIS_URL=redis://" + rs.Addr + "/0"}, "", "suppressions", "check", "b@example.org"); code != 0 || !strings.Contains(out, "is suppressed") {
		t.Errorf("check with BOUNCED_REDIS_URL = %d %q", code, out)
	}
	if code, _, errs := bin(t, nil, "", "stats", "--redis-url", "redis://127.0.0.1:1/0"); code != 1 || errs == "" {
		t.Errorf("stats without a Redis = %d %q, want 1", code, errs)
	}
}

// TestWriteTable_printable: attacker-controlled text in a table cell
// reaches the terminal without its controls, and columns stay aligned.
func TestWriteTable_printable(t *testing.T) {
	var b bytes.Buffer
	writeTable(&b, []string{"ADDRESS", "SERVER SAID"}, [][]string{
		{"evil\x1b]0;owned\x07@example.com", "550 \x1b[2J\x1b[31mno such user\u202e\ttab\r\nline"},
		{"ok@example.com", "550 5.1.1"},
	})
	out := b.String()
	for _, bad := range []string{"\x1b", "\x07", "\u202e", "\t", "\r"} {
		if strings.Contains(out, bad) {
			t.Errorf("table holds %q: %q", bad, out)
		}
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "evil@example.com  ") || strings.Index(lines[1], "550") != strings.Index(lines[0], "SERVER") {
		t.Errorf("table = %q", out)
	}
}

// TestOutputFormat: no --format is JSON lines (or the command's default)
// off a terminal; a format not offered is refused.
func TestOutputFormat(t *testing.T) {
	var b bytes.Buffer
	if f, err := outputFormat(&b, "", formatJSONL, formatTable, formatJSONL); f != formatJSONL || err != nil {
		t.Errorf("outputFormat(no format, a buffer) = %q, %v; want jsonl", f, err)
	}
	if _, err := outputFormat(&b, "xml", formatJSONL, formatTable, formatJSONL); err == nil {
		t.Error("outputFormat(xml) = nil error")
	}
}

// TestLegacyFlags rewrites only the names of flags.
func TestLegacyFlags(t *testing.T) {
	root := newRoot(&streams{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
	got := legacyFlags(root, []string{"parse", "-format=json", "-", "-x", "-nonesuch", "--", "-format"})
	want := []string{"parse", "--format=json", "-", "-x", "-nonesuch", "--", "-format"}
	if !slices.Equal(got, want) {
		t.Errorf("legacyFlags() = %q, want %q", got, want)
	}
}

// onTerminal runs the binary with its stdout on a pseudo-terminal made by
// script(1) (util-linux), as an operator at a shell runs it.
func onTerminal(t *testing.T, args ...string) string {
	t.Helper()
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) not installed")
	}
	quoted := []string{cliBinary(t)}
	for _, a := range args {
		quoted = append(quoted, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, script, "-qec", strings.Join(quoted, " "), "/dev/null")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TERM=dumb"}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("script %v: %v\n%s", args, err, out)
	}
	return strings.ReplaceAll(string(out), "\r\n", "\n")
}

// TestCLI_terminalTables: on a terminal, list, show and stats print
// tables, and the escape sequences of a hostile bounce never reach the
// terminal, nor through CSV or an export.
func TestCLI_terminalTables(t *testing.T) {
	rs := testutil.StartRedis(t)
	url := "redis://" + rs.Addr + "/0"
	c := redis.NewClient(&redis.Options{Addr: rs.Addr})
	defer c.Close()
	st := suppress.New(c, "{bounced}", suppress.DefaultPolicy(), nil)
	hostile := "550 5.1.1 \x1b]0;owned\x07\x1b[2J\x1b[31mno such user\u202e\u009b31m"
	if _, err := st.Apply(context.Background(), suppress.Entry{IdempotencyKey: "h1", Recipient: "victim@example.com", Verdict: outcome.Verdict{Kind: "bounce", Reason: "user_unknown", Category: "user_unknown",
		Hard: true, Diagnostic: hostile},
		At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"suppressions", "list", "--redis-url", url}, []string{"ADDRESS", "SUPPRESSED AT", "victim@example.com", "no such user", "1 of 1 suppressed addresses"}},
		{[]string{"suppressions", "show", "--redis-url", url, "victim@example.com"}, []string{"FIELD", "server said", "bounces seen (1)", "no such user"}},
		{[]string{"suppressions", "list", "--redis-url", url, "--format", "csv"}, []string{"address,reason", "no such user"}},
		{[]string{"suppressions", "export", "--redis-url", url}, []string{"address,scope", "no such user"}},
		{[]string{"stats", "--redis-url", url}, []string{"DAY", "TOTAL", "SUPPRESSED", "user_unknown"}},
	} {
		out := onTerminal(t, tc.args...)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("bounced %v on a terminal lacks %q:\n%s", tc.args, w, out)
			}
		}
		for _, bad := range []string{"\x1b", "\x07", "\u202e", "\u009b", "owned"} {
			if strings.Contains(out, bad) {
				t.Errorf("bounced %v on a terminal prints %q: %q", tc.args, bad, out)
			}
		}
	}
	// Off a terminal the text is exact: JSON escapes the controls.
	_, out, _ := bin(t, nil, "", "suppressions", "show", "--redis-url", url, "victim@example.com")
	var shown showResult
	if err := json.Unmarshal([]byte(out), &shown); err != nil || shown.Record == nil || shown.Diagnostic != hostile {
		t.Errorf("show off a terminal: diagnostic %q (%v), want it exact", out, err)
	}
}
