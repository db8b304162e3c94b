package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/internal/mailbox"
)

// mailboxOAuth2 turns a mailbox's oauth2 section into the worker's
// settings. A refresh token kept in refresh_token_file (rotated by the
// server at an earlier run) wins over the configured one.
func mailboxOAuth2(o config.OAuth2) (*mailbox.OAuth2, error) {
	mo := &mailbox.OAuth2{
		Grant:    o.Grant,
		TokenURL: o.TokenURL, ClientID: o.ClientID, ClientSecret: o.ClientSecret.Value(),
		RefreshToken: o.RefreshToken.Value(), Scopes: o.Scopes, BasicAuth: o.BasicAuth,
		RefreshBefore: o.RefreshBefore.D(),
	}
	if o.RefreshTokenFile == "" {
		return mo, nil
	}
	path := o.RefreshTokenFile
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if t := strings.TrimSpace(string(b)); t != "" {
			mo.RefreshToken = t
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("app: oauth2 refresh token file: %w", err)
	}
	if mo.RefreshToken == "" {
		return nil, fmt.Errorf("app: oauth2 refresh token file %s is empty and no refresh_token is set", path)
	}
	mo.SaveRefreshToken = func(token string) error { return writeSecretFile(path, token) }
	return mo, nil
}

// writeSecretFile replaces the file at path with value, mode 0600, by
// renaming a temporary file over it.
func writeSecretFile(path, value string) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("app: save refresh token: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename, there is nothing to remove
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("app: save refresh token: %w", err)
	}
	if _, err := f.WriteString(value + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("app: save refresh token: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("app: save refresh token: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("app: save refresh token: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("app: save refresh token: %w", err)
	}
	return nil
}
