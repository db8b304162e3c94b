package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bounced-dev/bounced/internal/config"
	"github.com/bounced-dev/bounced/verp"
)

const verpLong = `Makes and checks signed VERP return paths.

sign prints the signed return path (envelope sender) of each recipient, one
a line. verify prints what each address carries and whether it verifies,
and exits 1 when one does not. The secrets and the pattern come from the
configuration's verp section, or from --secret (repeatable: the first signs,
all verify) and --return-path. A secret is never given on the command line
itself. See docs/verp.md.
`

// verpOptions are the flags of verp sign and verify.
type verpOptions struct {
	config, pattern, sendID, day, format string
	secrets                              []string
	maxAge                               time.Duration
}

func newVERPCmd(s *streams) *cobra.Command {
	var o verpOptions
	c := group(s, "verp", "make and check signed VERP return paths (docs/verp.md)", verpLong)
	pf := c.PersistentFlags()
	pf.StringVar(&o.config, "config", "", "configuration file (its verp section)")
	pf.StringArrayVar(&o.secrets, "secret", nil, "secret as env:NAME or file:PATH (repeatable; the first signs)")
	pf.StringVar(&o.pattern, "return-path", "", "return-path pattern, e.g. bounces+{token}+{local}={domain}@shop.example")
	sign := &cobra.Command{
		Use:   "sign [flags] RECIPIENT...",
		Short: "print the signed return path of each recipient",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return exitCode(cmdVERP("sign", o, args, s.stdout, s.stderr))
		},
	}
	sign.Flags().StringVar(&o.sendID, "send-id", "", "send id carried in the token")
	sign.Flags().StringVar(&o.day, "day", "", "day of the token, YYYY-MM-DD in UTC (default today)")
	verify := &cobra.Command{
		Use:   "verify [flags] ADDRESS...",
		Short: "print what each address carries and whether it verifies (exit 1 when one does not)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			return exitCode(cmdVERP("verify", o, args, s.stdout, s.stderr))
		},
	}
	verify.Flags().DurationVar(&o.maxAge, "max-age", 0, "refuse tokens older than this (0: the configuration's, or any age)")
	verify.Flags().StringVar(&o.format, "format", "text", "text or json")
	c.AddCommand(sign, verify)
	return c
}

// cmdVERP makes (sub "sign") and checks ("verify") signed VERP return
// paths (package verp).
func cmdVERP(sub string, o verpOptions, args []string, stdout, stderr io.Writer) int {
	signer, err := verpSigner(o.config, o.secrets, o.pattern, o.maxAge)
	if err != nil {
		fmt.Fprintf(stderr, "bounced verp: %v\n", err)
		return 2
	}
	if sub == "sign" {
		var vo verp.Options
		vo.SendID = o.sendID
		if o.day != "" {
			d, err := time.Parse(time.DateOnly, o.day)
			if err != nil {
				fmt.Fprintf(stderr, "bounced verp: --day %q: want YYYY-MM-DD\n", o.day)
				return 2
			}
			vo.Day = d
		}
		return verpSign(signer, vo, args, stdout, stderr)
	}
	if o.format != "text" && o.format != "json" {
		fmt.Fprintf(stderr, "bounced verp: --format %q: want text or json\n", o.format)
		return 2
	}
	return verpVerify(signer, o.format, args, stdout)
}

func verpSign(s *verp.Signer, o verp.Options, rcpts []string, stdout, stderr io.Writer) int {
	rc := 0
	for _, r := range rcpts {
		rp, err := s.Sign(r, o)
		if err != nil {
			fmt.Fprintf(stderr, "bounced verp: %v\n", err)
			rc = 1
			continue
		}
		if n := verp.LocalPartLen(rp); n > verp.MaxLocalLen {
			fmt.Fprintf(stderr, "bounced verp: %s: the local part is %d octets, over RFC 5321's %d; most MTAs accept it (docs/verp.md)\n", r, n, verp.MaxLocalLen)
		}
		fmt.Fprintln(stdout, rp)
	}
	return rc
}

// verpResult is one line of `bounced verp verify --format json`.
type verpResult struct {
	Address      string `json:"address"`
	Verification string `json:"verification"`
	Recipient    string `json:"recipient,omitempty"`
	SendID       string `json:"send_id,omitempty"`
	Day          string `json:"day,omitempty"`
	Key          *int   `json:"key,omitempty"`
	Error        string `json:"error,omitempty"`
}

func verpVerify(s *verp.Signer, format string, addrs []string, stdout io.Writer) int {
	rc := 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, addr := range addrs {
		a, err := s.Verify(addr)
		r := verpResult{Address: addr, Recipient: a.Recipient, SendID: a.SendID}
		if !a.Day.IsZero() {
			r.Day = a.Day.Format(time.DateOnly)
		}
		if a.Key >= 0 {
			k := a.Key
			r.Key = &k
		}
		switch {
		case err == nil:
			r.Verification = "verified"
		case errors.Is(err, verp.ErrUnsigned):
			r.Verification = "unsigned"
		case errors.Is(err, verp.ErrExpired):
			r.Verification = "expired"
		default:
			r.Verification = "bad_signature"
		}
		if err != nil {
			r.Error = err.Error()
			rc = 1
		}
		if format == "json" {
			enc.Encode(r)
			continue
		}
		line := []string{addr, r.Verification}
		for _, kv := range [][2]string{{"recipient", r.Recipient}, {"send_id", r.SendID}, {"day", r.Day}} {
			if kv[1] != "" {
				line = append(line, kv[0]+"="+kv[1])
			}
		}
		if r.Key != nil {
			line = append(line, fmt.Sprintf("key=%d", *r.Key))
		}
		fmt.Fprintln(stdout, strings.Join(line, "\t"))
	}
	return rc
}

// verpSigner builds the signer from the configuration file, or from
// --secret and --return-path; flags given override the file.
func verpSigner(path string, secrets []string, pattern string, maxAge time.Duration) (*verp.Signer, error) {
	var v config.VERP
	if path != "" {
		cfg, err := config.Load(path, os.Environ())
		if err != nil {
			return nil, err
		}
		v = cfg.VERP
	}
	if len(secrets) > 0 {
		v.Secrets = nil
		for _, s := range secrets {
			val, err := secretValue(s)
			if err != nil {
				return nil, err
			}
			v.Secrets = append(v.Secrets, config.Secret(val))
		}
	}
	if pattern != "" {
		v.ReturnPath = pattern
	}
	if maxAge > 0 {
		v.MaxAge = config.Duration(maxAge)
	}
	if len(v.Secrets) == 0 {
		return nil, errors.New("no secret: give --config with a verp section or --secret env:NAME")
	}
	if v.ReturnPath == "" {
		return nil, errors.New("no return-path pattern: give --return-path or verp.return_path in --config")
	}
	return v.Signer()
}

// secretValue reads a secret written env:NAME or file:PATH.
func secretValue(s string) (string, error) {
	switch {
	case strings.HasPrefix(s, "env:"):
		v, ok := os.LookupEnv(s[4:])
		if !ok {
			return "", fmt.Errorf("--secret %s: environment variable %s is not set", s, s[4:])
		}
		return v, nil
	case strings.HasPrefix(s, "file:"):
		b, err := os.ReadFile(s[5:])
		if err != nil {
			return "", fmt.Errorf("--secret: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return "", errors.New("--secret: write env:NAME or file:PATH (a secret on the command line would show in ps and the shell history)")
}
