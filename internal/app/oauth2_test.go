package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounced-dev/bounced/internal/config"
)

func TestMailboxOAuth2_refreshTokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "refresh-token")
	o := config.OAuth2{TokenURL: "https://login.example/token", ClientID: "c", RefreshToken: "configured", RefreshTokenFile: path}

	// No file yet: the configured token, saved to the file at rotation.
	mo, err := mailboxOAuth2(o)
	if err != nil {
		t.Fatalf("mailboxOAuth2() error = %v", err)
	}
	if mo.RefreshToken != "configured" || mo.SaveRefreshToken == nil {
		t.Fatalf("mailboxOAuth2() = %+v, want the configured token and a saver", mo)
	}
	if err := mo.SaveRefreshToken("rotated"); err != nil {
		t.Fatalf("SaveRefreshToken() error = %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("saved file: %v, %v; want mode 0600", fi, err)
	}

	// The next start prefers the saved token.
	mo, err = mailboxOAuth2(o)
	if err != nil || mo.RefreshToken != "rotated" {
		t.Errorf("mailboxOAuth2() after a rotation = %+v, %v; want the saved token", mo, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the token file", len(entries))
	}

	// An empty file and no configured token is refused.
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	o.RefreshToken = ""
	if _, err := mailboxOAuth2(o); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("mailboxOAuth2() with an empty file = %v, want an error", err)
	}
}
