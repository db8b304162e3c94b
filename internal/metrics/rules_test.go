package metrics

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

// exported returns the names of every series a Registry exports when
// every source has something to say, with the _bucket, _sum and _count
// of histograms.
func exported(t *testing.T) map[string]bool {
	t.Helper()
	r := New(Sources{
		Pipeline: func() Pipeline {
			return Pipeline{
				Fetched: map[string]int64{"shop": 1}, Decoded: map[DecodedKey]int64{{"bounce", "postfix"}: 1},
				Bounces:           map[BounceKey]int64{{"bounce", "user_unknown", "user_unknown", "true", "other"}: 1},
				BouncesByDomain:   map[DomainKey]int64{{"bounce", "user_unknown", "other"}: 1},
				SuppressionsAdded: map[string]int64{"all": 1},
			}
		},
		Mailboxes: func() []Mailbox { return []Mailbox{{Name: "shop", LastSuccess: time.Now(), LastProgress: time.Now()}} },
		Publisher: func() Publisher { return Publisher{} },
		EpochOK:   func() bool { return true },
		Active:    func(context.Context) (map[string]int64, error) { return map[string]int64{"all": 1}, nil },
		Lifted:    func() map[string]int64 { return map[string]int64{"all": 1} },
		Expired:   func() int64 { return 1 },
	}, nil)
	r.SetWebhooks(func() []Webhook { return []Webhook{{Endpoint: "crm"}} })
	mfs, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		n := mf.GetName()
		names[n] = true
		if mf.GetType().String() == "HISTOGRAM" {
			names[n+"_bucket"], names[n+"_sum"], names[n+"_count"] = true, true, true
		}
	}
	return names
}

var seriesName = regexp.MustCompile(`\bbounced_[a-z_]+\b`)

// checkNames fails t for every bounced_* series named in exprs that the
// daemon does not export: a rename would silently empty a rule or panel.
func checkNames(t *testing.T, where string, exprs []string, names map[string]bool) {
	t.Helper()
	for _, e := range exprs {
		for _, n := range seriesName.FindAllString(e, -1) {
			if !names[n] {
				t.Errorf("%s: %q names %s, which the daemon does not export", where, e, n)
			}
		}
	}
}

// The alert rules parse (rulefmt checks the expressions with the PromQL
// parser and the templates), and name only series the daemon exports.
func TestAlertRules(t *testing.T) {
	rgs, errs := rulefmt.ParseFile("../../deploy/prometheus/alerts.yml", false, model.UTF8Validation, parser.NewParser(parser.Options{}), nil)
	for _, err := range errs {
		t.Errorf("alerts.yml: %v", err)
	}
	if rgs == nil {
		t.FailNow()
	}
	var exprs, alerts []string
	for _, g := range rgs.Groups {
		for _, r := range g.Rules {
			exprs = append(exprs, r.Expr)
			if r.Alert != "" {
				alerts = append(alerts, r.Alert)
			}
		}
	}
	checkNames(t, "alerts.yml", exprs, exported(t))
	for _, want := range []string{"BouncedBounceRateReview", "BouncedBounceRateAtRisk", "BouncedComplaintRateReview",
		"BouncedComplaintRateAtRisk", "BouncedMailboxStalled", "BouncedStoreEpochNotOK", "BouncedPublishPermanentFailures", "BouncedWebhookDeadLetters"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("alerts.yml has no alert %s", want)
		}
	}
}

// The dashboard is JSON whose every query parses as PromQL (once
// Grafana's $__rate_interval is replaced) and names exported series.
func TestGrafanaDashboard(t *testing.T) {
	b, err := os.ReadFile("../../deploy/grafana/bounced.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Title  string `json:"title"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("bounced.json: %v", err)
	}
	var exprs []string
	p := parser.NewParser(parser.Options{})
	for _, panel := range d.Panels {
		for _, tg := range panel.Targets {
			e := strings.NewReplacer("$__rate_interval", "5m", "$__range", "1d", "$mailbox", "shop").Replace(tg.Expr)
			if _, err := p.ParseExpr(e); err != nil {
				t.Errorf("panel %q: %s: %v", panel.Title, tg.Expr, err)
			}
			exprs = append(exprs, tg.Expr)
		}
	}
	if len(exprs) < 10 {
		t.Errorf("dashboard has %d queries, want the bounce, suppression, mailbox and health panels", len(exprs))
	}
	checkNames(t, "bounced.json", exprs, exported(t))
}
