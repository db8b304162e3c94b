package testutil

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
)

// Dovecot is a real Dovecot 2.3 IMAP server started for one test, with its
// configuration, certificate, user database and maildirs in a temporary
// directory. Stop and Start stop and restart it on the same ports and
// directories, so that tests can simulate an outage; mail survives.
//
// The account is User (bounces) with Password, by LOGIN or AUTHENTICATE
// PLAIN, or with Token by AUTHENTICATE XOAUTH2 (a static passdb limited to
// the xoauth2 and oauthbearer mechanisms stands in for a token server).
type Dovecot struct {
	// IMAPSAddr is the implicit-TLS (imaps) listener's host:port.
	IMAPSAddr string
	// IMAPAddr is the plain IMAP listener's host:port; it offers STARTTLS
	// and, on loopback, allows login without it.
	IMAPAddr string
	// Token is the OAuth2 bearer token accepted for User with XOAUTH2.
	Token string
	// CAPool trusts the server's self-signed certificate (for 127.0.0.1
	// and localhost).
	CAPool *x509.CertPool
	// Dir holds dovecot.conf, the certificate, the passwd file, the
	// maildirs (mail/) and dovecot.log.
	Dir string
	// IMAPAccount has User and Password, and helpers (Append, Count,
	// Messages, ...) that connect to IMAPAddr.
	IMAPAccount

	t    testing.TB
	bin  string
	conf string

	mu   sync.Mutex
	proc process
}

// StartDovecot starts Dovecot (dovecot -F -c <dir>/dovecot.conf) on two
// free loopback ports, and stops it and removes its directory when the
// test ends. The test is skipped when Dovecot is not installed (see
// RequireBinary), except under CI.
//
// Running as root (as tests do here), the master and auth processes run as
// root, the login processes as dovenull (Dovecot refuses to run them as
// root) and mail processes as nobody (it refuses uid 0 for mail), so the
// directory is made world-searchable and mail/ is owned by nobody.
func StartDovecot(t testing.TB) *Dovecot {
	t.Helper()
	return StartDovecotWith(t, DovecotOptions{})
}

// DovecotOptions changes the configuration StartDovecotWith writes.
type DovecotOptions struct {
	// Settings are extra dovecot.conf lines, appended at the end (for
	// example "maildir_very_dirty_syncs = yes").
	Settings []string
	// OAuth2IntrospectionURL, when set, replaces the static token passdb
	// with Dovecot's oauth2 passdb (passdb { driver = oauth2 }), which
	// checks every XOAUTH2 and OAUTHBEARER token by POSTing "token=..." to
	// this URL (introspection_mode = post, RFC 7662): the answer must be a
	// JSON object with "active": true and "username" naming User.
	// Dovecot.Token is then not accepted.
	OAuth2IntrospectionURL string
}

// StartDovecotWith is StartDovecot with options.
func StartDovecotWith(t testing.TB, opts DovecotOptions) *Dovecot {
	t.Helper()
	bin := RequireBinary(t, "dovecot", "dovecot-imapd")
	if _, err := os.Stat("/usr/lib/dovecot/imap"); err != nil {
		msg := "dovecot imap not installed: apt-get install dovecot-imapd"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	// Not t.TempDir(): unix socket paths in base_dir must stay short, and
	// the unprivileged mail user must be able to reach mail/.
	dir, err := os.MkdirTemp("", "dovecot-")
	if err != nil {
		t.Fatalf("testutil: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatalf("testutil: %v", err)
	}

	d := &Dovecot{
		IMAPSAddr: net.JoinHostPort("127.0.0.1", strconv.Itoa(FreePort(t))),
		IMAPAddr:  net.JoinHostPort("127.0.0.1", strconv.Itoa(FreePort(t))),
		Token:     "tok-" + imapRandomHex(t, 16),
		Dir:       dir,
		t:         t,
		bin:       bin,
		conf:      filepath.Join(dir, "dovecot.conf"),
		// Its own process group, so that Stop can end leftover children.
		proc: process{name: "dovecot", logFile: filepath.Join(dir, "dovecot.log"), logMax: 4000, grace: 2 * time.Second, group: true},
	}
	d.User, d.Password = "bounces", imapRandomHex(t, 12)
	d.Dial = func() (*imapclient.Client, error) {
		return imapclient.DialInsecure(d.IMAPAddr, &imapclient.Options{Dialer: &net.Dialer{Timeout: 5 * time.Second}})
	}
	d.writeConfig(t, opts)
	d.Start()
	t.Cleanup(func() {
		d.Stop()
		if t.Failed() {
			t.Logf("dovecot log:\n%s", d.proc.logTail())
		}
	})
	return d
}

// writeConfig writes the certificate, the passwd file and dovecot.conf.
func (d *Dovecot) writeConfig(t testing.TB, opts DovecotOptions) {
	t.Helper()
	certFile, keyFile, pool := SelfSignedCert(t, d.Dir, "dovecot")
	d.CAPool = pool

	passwd := filepath.Join(d.Dir, "passwd")
	if err := os.WriteFile(passwd, []byte(d.User+":{PLAIN}"+d.Password+"\n"), 0o600); err != nil {
		t.Fatalf("testutil: %v", err)
	}

	internalUser, loginUser := "root", "dovenull"
	if _, err := user.Lookup(loginUser); err != nil {
		loginUser = "nobody"
	}
	mailUID, mailGID := "65534", "65534"
	if u, err := user.Lookup("nobody"); err == nil {
		mailUID, mailGID = u.Uid, u.Gid
	}
	chroot := ""
	if os.Geteuid() != 0 {
		u, err := user.Current()
		if err != nil {
			t.Fatalf("testutil: %v", err)
		}
		internalUser, loginUser = u.Username, u.Username
		mailUID, mailGID = u.Uid, u.Gid
		chroot = "  chroot =\n" // chroot needs root
	}
	mailDir := filepath.Join(d.Dir, "mail")
	if err := os.Mkdir(mailDir, 0o700); err != nil {
		t.Fatalf("testutil: %v", err)
	}
	uid, _ := strconv.Atoi(mailUID)
	gid, _ := strconv.Atoi(mailGID)
	if os.Geteuid() == 0 {
		if err := os.Chown(mailDir, uid, gid); err != nil {
			t.Fatalf("testutil: %v", err)
		}
	}
	_, imapsPort, _ := net.SplitHostPort(d.IMAPSAddr)
	_, imapPort, _ := net.SplitHostPort(d.IMAPAddr)

	conf := fmt.Sprintf(`# Generated by internal/testutil.StartDovecot.
protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = bounced-test-%[2]s
log_path = %[1]s/dovecot.log
default_internal_user = %[3]s
default_internal_group = %[3]s
default_login_user = %[4]s
mail_uid = %[5]s
mail_gid = %[6]s
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:%[1]s/mail/%%u
mail_fsync = never
mailbox_idle_check_interval = 1 secs
mail_max_userip_connections = 100
ssl = yes
ssl_cert = <%[7]s
ssl_key = <%[8]s
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
# No auth penalty (a growing delay after failed logins, which tests make).
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
auth_verbose = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN %[9]s
}
%[10]suserdb {
  driver = static
  args = home=%[1]s/mail/%%u
}
service imap-login {
%[13]s  inet_listener imap {
    address = 127.0.0.1
    port = %[11]s
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[12]s
    ssl = yes
  }
}
`, d.Dir, imapPort, internalUser, loginUser, mailUID, mailGID, certFile, keyFile, passwd, d.tokenPassdb(t, opts), imapPort, imapsPort, chroot)
	for _, line := range opts.Settings {
		conf += line + "\n"
	}
	if err := os.WriteFile(d.conf, []byte(conf), 0o600); err != nil {
		t.Fatalf("testutil: %v", err)
	}
}

// tokenPassdb returns the passdb block for the xoauth2 and oauthbearer
// mechanisms: a static password (Token) or, with
// opts.OAuth2IntrospectionURL, the oauth2 driver and its settings file
// (Dovecot 2.3, doc.dovecot.org/2.3/configuration_manual/authentication/oauth2).
func (d *Dovecot) tokenPassdb(t testing.TB, opts DovecotOptions) string {
	t.Helper()
	if opts.OAuth2IntrospectionURL == "" {
		return "passdb {\n  driver = static\n  mechanisms = xoauth2 oauthbearer\n  args = password=" + d.Token + "\n}\n"
	}
	ext := filepath.Join(d.Dir, "dovecot-oauth2.conf.ext")
	conf := "introspection_mode = post\n" +
		"introspection_url = " + opts.OAuth2IntrospectionURL + "\n" +
		"username_attribute = username\n" +
		"active_attribute = active\n" +
		"active_value = true\n"
	if err := os.WriteFile(ext, []byte(conf), 0o600); err != nil {
		t.Fatalf("testutil: %v", err)
	}
	return "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = " + ext + "\n}\n"
}

// Start starts Dovecot again after Stop, on the same ports and
// directories. It fails the test when Dovecot does not accept connections
// on both ports within 10 seconds. Calling Start on a running server does
// nothing.
func (d *Dovecot) Start() {
	d.t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.proc.start(d.t, exec.Command(d.bin, "-F", "-c", d.conf), d.IMAPAddr, d.IMAPSAddr)
}

// Stop stops Dovecot and waits until it has stopped: SIGTERM to the
// master, which disconnects every client, then SIGKILL to its process
// group after 2 seconds (the master dawdles for a second or more on its
// way out, longer with clients connected). Calling Stop on a stopped
// server does nothing.
func (d *Dovecot) Stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.proc.stop()
}

// TLSConfig returns a client TLS configuration that trusts the server.
func (d *Dovecot) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: d.CAPool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}
