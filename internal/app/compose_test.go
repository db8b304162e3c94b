package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// composeFile is the part of docker-compose.yml the test reads.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Command     []string          `yaml:"command"`
		Entrypoint  []string          `yaml:"entrypoint"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Ports       []string          `yaml:"ports"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

// composeDefault expands ${NAME:-default} to its default, as Compose does
// when NAME is not set.
func composeDefault(v string) string {
	return regexp.MustCompile(`\$\{[A-Z_]+:-([^}]*)\}`).ReplaceAllString(v, "$1")
}

// composeRequired matches ${NAME:?message}, a variable Compose refuses to
// start without.
var composeRequired = regexp.MustCompile(`^\$\{([A-Z_]+):\?[^}]+\}$`)

// randomToken returns 32 random bytes in hex, as `openssl rand -hex 32`.
func randomToken(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// TestDockerCompose runs the docker-compose.yml system without Docker (no
// engine runs on the test machines): the same servers from the Debian
// packages, started from the files the compose file mounts, with only
// paths, ports and host names changed. Dovecot is configured by
// docker/dovecot/dovecot.conf and started by docker/dovecot/entrypoint.sh
// (which makes the certificate and the user), redis-server and
// nats-server get the compose file's arguments, and bounced runs with
// docker/bounced/bounced.yaml and the compose file's environment. A bounce
// delivered with `doveadm save`, as the compose file's comment says, must
// end up suppressed and visible in the HTTP API with the read token, and
// lifting it must take the write token. Every published port binds
// 127.0.0.1 only, the tokens have no default in the compose file (Compose
// refuses to start without them), and bounced refuses to start with the
// example token the compose file used to default to.
func TestDockerCompose(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	if os.Geteuid() != 0 {
		t.Skip("the compose Dovecot runs mail as uid 1000: needs root")
	}
	testutil.RequireBinary(t, "openssl", "openssl")
	doveadm := testutil.RequireBinary(t, "doveadm", "dovecot-core")
	testutil.RequireBinary(t, "dovecot", "dovecot-imapd")

	b, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cf composeFile
	if err := yaml.Unmarshal(b, &cf); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	for _, name := range []string{"redis", "nats", "dovecot", "bounced"} {
		if _, ok := cf.Services[name]; !ok {
			t.Fatalf("docker-compose.yml has no %s service", name)
		}
	}
	for name, svc := range cf.Services {
		for _, v := range svc.Volumes {
			src, _, _ := strings.Cut(v, ":")
			if strings.HasPrefix(src, "./") {
				if _, err := os.Stat(filepath.Join("../..", src)); err != nil {
					t.Errorf("service %s mounts %s: %v", name, src, err)
				}
			} else if _, ok := cf.Volumes[src]; !ok {
				t.Errorf("service %s mounts volume %q, not declared under volumes", name, src)
			}
		}
	}
	// Nothing is published beyond the host: the API serves personal data.
	for name, svc := range cf.Services {
		for _, p := range svc.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("service %s publishes %q on every interface, want 127.0.0.1:...", name, p)
			}
		}
	}
	if ports := cf.Services["bounced"].Ports; !slices.Contains(ports, "127.0.0.1:8025:8025") {
		t.Errorf("bounced publishes %v, want 127.0.0.1:8025:8025", ports)
	}
	if cf.Services["bounced"].Build == nil {
		t.Error("the bounced service is not built from the repository")
	}
	// bounced reads Dovecot's certificate at start: it must wait for it.
	for dep, cond := range map[string]string{"redis": "service_healthy", "nats": "service_started", "dovecot": "service_healthy"} {
		if got := cf.Services["bounced"].DependsOn[dep].Condition; got != cond {
			t.Errorf("bounced depends on %s with condition %q, want %q", dep, got, cond)
		}
	}

	// Redis and NATS with the compose file's arguments.
	redisArgs := cf.Services["redis"].Command
	if len(redisArgs) == 0 || redisArgs[0] != "redis-server" {
		t.Fatalf("redis command %v, want redis-server ...", redisArgs)
	}
	rs := testutil.StartRedisWith(t, testutil.RedisOptions{Args: redisArgs[1:]})
	if !slices.Contains(cf.Services["nats"].Command, "-js") {
		t.Errorf("nats command %v does not turn on JetStream (-js)", cf.Services["nats"].Command)
	}
	ns := testutil.StartNATS(t)

	// Dovecot from the mounted configuration and entrypoint.
	dir, err := os.MkdirTemp("", "compose-") // short: Dovecot's socket paths
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"certs", "etc"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	imapsPort := testutil.FreePort(t)
	conf := readRepoFile(t, "docker/dovecot/dovecot.conf")
	conf = strings.NewReplacer(
		"</certs/", "<"+dir+"/certs/",
		"/etc/dovecot/users", dir+"/etc/users",
		"listen = *", "listen = 127.0.0.1",
		"port = 993", "port = "+strconv.Itoa(imapsPort),
		"log_path = /dev/stderr", "log_path = "+dir+"/dovecot.log",
	).Replace(conf)
	conf += fmt.Sprintf("base_dir = %[1]s/run\nstate_dir = %[1]s/state\ninstance_name = compose-%[2]d\n", dir, imapsPort)
	confPath := filepath.Join(dir, "etc", "dovecot.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	entry := readRepoFile(t, "docker/dovecot/entrypoint.sh")
	if !strings.Contains(entry, "exec dovecot -F") {
		t.Fatalf("entrypoint.sh does not end in exec dovecot -F:\n%s", entry)
	}
	entry = strings.NewReplacer(
		"/certs", dir+"/certs",
		"/etc/dovecot/users", dir+"/etc/users",
		"/srv/mail", dir+"/mail",
		"exec dovecot -F", "exec dovecot -F -c "+confPath,
	).Replace(entry)
	entryPath := filepath.Join(dir, "entrypoint.sh")
	if err := os.WriteFile(entryPath, []byte(entry), 0o755); err != nil {
		t.Fatal(err)
	}
	dov := cf.Services["dovecot"]
	password := composeDefault(dov.Environment["IMAP_PASSWORD"])
	cmd := exec.Command("/bin/sh", entryPath)
	cmd.Env = append(os.Environ(), "IMAP_PASSWORD="+password, "PATH=/usr/sbin:/usr/bin:/sbin:/bin")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		time.Sleep(500 * time.Millisecond)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "dovecot.log"))
			t.Logf("entrypoint output:\n%s\ndovecot log:\n%s", out.String(), tail(string(log), 4000))
		}
	})
	imapsAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(imapsPort))
	if err := testutil.WaitTCP(imapsAddr, 20*time.Second); err != nil {
		t.Fatalf("compose Dovecot not listening: %v", err)
	}
	// Its healthcheck, which bounced waits for, must pass now.
	hc := dov.Healthcheck.Test
	if len(hc) != 2 || hc[0] != "CMD-SHELL" {
		t.Fatalf("dovecot healthcheck %v, want [CMD-SHELL, ...]", hc)
	}
	check := strings.NewReplacer("/certs/", dir+"/certs/", "doveadm ", "doveadm -c "+confPath+" ").Replace(hc[1])
	if o, err := exec.Command("/bin/sh", "-c", check).CombinedOutput(); err != nil {
		t.Errorf("dovecot healthcheck %q failed on a running Dovecot: %v\n%s", check, err, o)
	}

	// bounced with the mounted configuration and the compose environment.
	bin := buildBinary(t)
	httpAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(testutil.FreePort(t)))
	env := append(os.Environ(),
		"BOUNCED_REDIS_URL=redis://"+rs.Addr+"/0",
		"BOUNCED_NATS_URL="+ns.URL,
		"BOUNCED_HTTP_LISTEN="+httpAddr,
		"BOUNCED_MAILBOXES_0_ADDR="+imapsAddr,
		"BOUNCED_MAILBOXES_0_TLS_CA_FILE="+dir+"/certs/imap.pem",
		"BOUNCED_MAILBOXES_0_POLL_INTERVAL=1s",
	)
	// The tokens must be given: no default a reader of the compose file
	// would know.
	tokens := map[string]string{}
	for _, k := range []string{"BOUNCED_HTTP_READ_TOKEN", "BOUNCED_HTTP_WRITE_TOKEN"} {
		v, ok := cf.Services["bounced"].Environment[k]
		if !ok {
			t.Fatalf("the compose environment sets no %s", k)
		}
		if !composeRequired.MatchString(v) {
			t.Errorf("%s is %q, want ${NAME:?message}: a token with a default is a known token", k, v)
		}
		tokens[k] = randomToken(t)
	}
	for k, v := range cf.Services["bounced"].Environment {
		if m := composeRequired.FindStringSubmatch(v); m != nil {
			if tokens[k] == "" {
				t.Fatalf("compose requires %s for %s: the test does not know what to give", m[1], k)
			}
			env = append(env, k+"="+tokens[k])
			continue
		}
		env = append(env, k+"="+composeDefault(v))
	}
	readToken, writeToken := tokens["BOUNCED_HTTP_READ_TOKEN"], tokens["BOUNCED_HTTP_WRITE_TOKEN"]

	// The example token the compose file defaulted to, and a short one,
	// stop bounced at start with an error naming the key.
	for _, bad := range []struct{ key, env, value string }{
		{"http.write_token", "BOUNCED_HTTP_WRITE_TOKEN", "change-me-too"},
		{"http.read_token", "BOUNCED_HTTP_READ_TOKEN", "change-me"},
		{"http.write_token", "BOUNCED_HTTP_WRITE_TOKEN", "short"},
	} {
		chk := exec.Command(bin, "run", "--check", "--config", "../../docker/bounced/bounced.yaml")
		chk.Env = append(slices.Clone(env), bad.env+"="+bad.value)
		o, err := chk.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(o), bad.key) {
			t.Errorf("bounced with %s=%s: %v\n%s\nwant exit status 2 naming %s", bad.env, bad.value, err, o, bad.key)
		}
	}
	var logs strings.Builder
	bd := exec.Command(bin, "run", "--config", "../../docker/bounced/bounced.yaml")
	bd.Env = env
	bd.Stdout, bd.Stderr = &logs, &logs
	if err := bd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		bd.Process.Signal(syscall.SIGTERM)
		bd.Wait()
		if t.Failed() {
			t.Logf("bounced log:\n%s", tail(logs.String(), 6000))
		}
	})

	// A bounce delivered as the compose file's comment says.
	raw, rcpt := genBounce("compose", 1)
	save := exec.Command(doveadm, "-c", confPath, "save", "-u", "bounces")
	save.Stdin = strings.NewReader(string(raw))
	if o, err := save.CombinedOutput(); err != nil {
		t.Fatalf("doveadm save: %v\n%s", err, o)
	}
	api := "http://" + httpAddr + "/api/v1/suppressions/" + rcpt
	get := func(tok string) int {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, api, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	waitFor(t, 30*time.Second, "the bounce's address in the API", func() bool { return get(readToken) == 200 })
	if code := get(""); code != http.StatusUnauthorized {
		t.Errorf("GET of an address without a token = %d, want 401", code)
	}
	del := func(tok string) int {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodDelete, api, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := del(""); code != http.StatusUnauthorized {
		t.Errorf("DELETE without the token = %d, want 401", code)
	}
	if code := del(readToken); code != http.StatusUnauthorized {
		t.Errorf("DELETE with the read token = %d, want 401", code)
	}
	if code := del(writeToken); code != http.StatusOK {
		t.Errorf("DELETE with the write token = %d, want 200", code)
	}
}

func readRepoFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../..", path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
