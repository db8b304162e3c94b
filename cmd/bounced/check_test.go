package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/bounced-dev/bounced/addrcheck"
)

func runCheck(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"check"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckCommand_acceptance(t *testing.T) {
	code, out, errs := runCheck(t, "", "--format", "json", "taro.@docomo.ne.jp")
	var res []addrcheck.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("check output %q (%s): %v", out, errs, err)
	}
	if code != 1 || len(res) != 1 || !res[0].Has(addrcheck.CodeDotBeforeAt) || res[0].Suggestion != "taro@docomo.ne.jp" || res[0].Carrier != "docomo" {
		t.Errorf("check taro.@docomo.ne.jp = %d %+v", code, res)
	}
	code, out, _ = runCheck(t, "", "--format", "json", "hanako@docomo.ne.jo")
	if code != 1 || !strings.Contains(out, `"code": "domain_typo"`) || !strings.Contains(out, `"suggestion": "hanako@docomo.ne.jp"`) {
		t.Errorf("check hanako@docomo.ne.jo = %d %s", code, out)
	}
}

func TestCheckCommand(t *testing.T) {
	// Clean addresses: exit 0; JSON when not a terminal.
	code, out, _ := runCheck(t, "", "taro@docomo.ne.jp", "hanako@gmail.com")
	var res []addrcheck.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 || len(res) != 2 || len(res[0].Faults) != 0 {
		t.Errorf("check clean = %d %q %v", code, out, err)
	}
	// The table, in Japanese, flags after addresses, "-" from stdin.
	code, out, _ = runCheck(t, "ｔａｒｏ＠ｇｍａｉｌ．ｃｏｍ\n\nok@au.com\n", "taro..x@ezweb.ne.jp", "-", "--format", "table", "--lang", "ja")
	for _, want := range []string{"ADDRESS", "consecutive_dots", "taro.x@ezweb.ne.jp", "full_width", "taro@gmail.com", "ok@au.com", "「.」（ドット）が連続"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("check with faults = %d, want 1", code)
	}
	// Escape sequences never reach the terminal.
	_, out, _ = runCheck(t, "", "--format", "table", "t\x1b[2Jx@example.com")
	if strings.Contains(out, "\x1b") || !strings.Contains(out, `\u001B`) {
		t.Errorf("table shows a raw escape: %q", out)
	}
	// Usage errors: 2.
	for _, args := range [][]string{{}, {"--format", "xml", "a@b.example"}, {"--lang", "fr", "a@b.example"}, {"--bogus"}} {
		if code, _, _ := runCheck(t, "", args...); code != 2 {
			t.Errorf("check %v = %d, want 2", args, code)
		}
	}
}

func TestCheckCommand_dns(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		switch q := req.Question[0]; {
		case q.Name == "shop.example." && q.Qtype == dns.TypeMX:
			rr, _ := dns.NewRR("shop.example. 60 IN MX 10 mx.shop.example.")
			m.Answer = append(m.Answer, rr)
		case q.Name == "shop.example.":
		case q.Name == "servfail.example.":
			m.Rcode = dns.RcodeServerFailure
		default:
			m.Rcode = dns.RcodeNameError
		}
		w.WriteMsg(m)
	})}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() {
		defer func() { recover() }()
		srv.ActivateAndServe()
	}()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	addr := pc.LocalAddr().String()

	code, out, _ := runCheck(t, "", "--resolver", addr, "--format", "json", "a@shop.example")
	if code != 0 || !strings.Contains(out, `"mx.shop.example"`) {
		t.Errorf("check --resolver a@shop.example = %d %s", code, out)
	}
	code, out, _ = runCheck(t, "", "--dns", "--resolver", addr, "--format", "json", "a@gone.example")
	if code != 1 || !strings.Contains(out, `"host_unknown"`) {
		t.Errorf("check --dns a@gone.example = %d %s", code, out)
	}
	code, _, errs := runCheck(t, "", "--dns", "--resolver", addr, "--format", "table", "a@servfail.example", "b@shop.example")
	if code != 3 || !strings.Contains(errs, "SERVFAIL") {
		t.Errorf("check --dns a@servfail.example = %d %q, want 3", code, errs)
	}
}

// TestCheckCommand_binary runs the built binary as a user would.
func TestCheckCommand_binary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "bounced")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "check", "--format", "json", "taro.@docomo.ne.jp")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !(err != nil && errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("bounced check: %v, want exit status 1", err)
	}
	if !strings.Contains(string(out), `"code": "dot_before_at"`) || !strings.Contains(string(out), `"suggestion": "taro@docomo.ne.jp"`) {
		t.Errorf("bounced check output:\n%s", out)
	}
}

func TestCheckCommand_tableAlignsFullWidth(t *testing.T) {
	_, out, _ := runCheck(t, "", "--format", "table", "ＡＢ＠ａｕ．ｃｏｍ", "ab@au.com")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("table = %q", out)
	}
	// The CARRIER column starts at the same terminal cell on every row.
	col := func(line string) int { return displayWidth(line[:strings.Index(line, "  ")]) }
	head := displayWidth("ADDRESS") + strings.Index(lines[0][len("ADDRESS"):], "C")
	for _, l := range lines[1:] {
		i := strings.Index(l, "au  ")
		if i < 0 {
			t.Fatalf("row without carrier: %q", l)
		}
		if got := displayWidth(l[:i]); got != head {
			t.Errorf("row %q: carrier at cell %d, header at %d (address width %d)", l, got, head, col(l))
		}
	}
}
