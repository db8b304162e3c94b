package config

import (
	"fmt"
	"os"
	"strings"
)

// LoadStore reads the configuration as Load does, but resolves and
// validates only the sections that commands working on the suppression
// store alone need: log, redis and policy. The file is decoded as
// strictly as by Load (an unknown key is an error), and BOUNCED_LOG_*,
// BOUNCED_REDIS_* and BOUNCED_POLICY_* override it; the other sections
// are ignored, so `bounced suppressions` and `bounced stats` run without
// the IMAP password, the HTTP tokens or the webhook secrets, and fail on
// none of them. The result holds the defaults elsewhere.
func LoadStore(path string, environ []string) (*Config, error) {
	c := Default()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		if err := Parse(b, &c); err != nil {
			return nil, fmt.Errorf("config: %s: %w", path, err)
		}
	}
	s := Default()
	s.Log, s.Redis, s.Policy = c.Log, c.Redis, c.Policy
	env := map[string]string{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if strings.HasPrefix(k, EnvPrefix) && !strings.HasPrefix(k, EnvPrefix+"LOG_") &&
			!strings.HasPrefix(k, EnvPrefix+"REDIS_") && !strings.HasPrefix(k, EnvPrefix+"POLICY_") {
			continue // another section's override
		}
		env[k] = v
	}
	if err := applyEnv(&s, env); err != nil {
		return nil, err
	}
	if err := resolveSecrets(&s, env); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}
