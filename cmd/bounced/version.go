package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version, when set at link time (go build -ldflags "-X main.version=v1.2.0"),
// is the version a tagged build reports; otherwise the module version of
// the build info is, or "devel".
var version string

// buildInfo is what `bounced version` reports.
type buildInfo struct {
	Version  string `json:"version"`
	Module   string `json:"module,omitempty"`
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified"`
	Go       string `json:"go"`
}

// readBuildInfo reads the version, the VCS revision, its time and whether
// the tree was modified from runtime/debug.ReadBuildInfo.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Go: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if ok {
		b.Go = info.GoVersion
		b.Module = info.Main.Path
		if v := info.Main.Version; b.Version == "" && v != "" && v != "(devel)" {
			b.Version = v
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Revision = s.Value
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	return b
}

// versionString is the one-word version: the version, or for a development
// build "devel-" and the first 12 digits of the revision, "-dirty" when
// the tree was modified.
func versionString() string {
	b := readBuildInfo()
	if b.Version != "devel" || b.Revision == "" {
		return b.Version
	}
	v := "devel-" + b.Revision[:min(12, len(b.Revision))]
	if b.Modified {
		v += "-dirty"
	}
	return v
}

// versionText is what `bounced version` and `bounced --version` print.
func versionText() string {
	b := readBuildInfo()
	var sb strings.Builder
	fmt.Fprintf(&sb, "bounced %s\n", versionString())
	if b.Revision != "" {
		mod := ""
		if b.Modified {
			mod = " (modified)"
		}
		fmt.Fprintf(&sb, "  revision  %s%s\n", b.Revision, mod)
	}
	if b.Time != "" {
		fmt.Fprintf(&sb, "  time      %s\n", b.Time)
	}
	fmt.Fprintf(&sb, "  go        %s\n", b.Go)
	// A template for cobra's --version: no action may be in it.
	return strings.ReplaceAll(sb.String(), "{{", "{ {")
}

func newVersionCmd(s *streams) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "version",
		Short: "print the version, the VCS revision and the Go version",
		Long: `Prints the version: the one set at link time for a tagged build
(go build -ldflags "-X main.version=v1.2.0" ./cmd/bounced), else the
module version of the build info, else "devel-REVISION"; then the VCS
revision and its time, whether the tree was modified, and the Go version.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			switch format {
			case "", "text":
				fmt.Fprint(s.stdout, versionText())
			case "json":
				enc := json.NewEncoder(s.stdout)
				enc.SetIndent("", "  ")
				b := readBuildInfo()
				b.Version = versionString()
				enc.Encode(b)
			default:
				fmt.Fprintf(s.stderr, "bounced version: --format %q: want text or json\n", format)
				return exitCode(2)
			}
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "text", "text or json")
	return c
}
