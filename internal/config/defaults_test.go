package config

import (
	"reflect"
	"testing"

	"github.com/bounced-dev/bounced/internal/suppress"
)

// TestDefault_policyIsTheStoreDefault: the daemon's default policy
// section gives the store exactly the policy it has with no options, so a
// program using package suppress alone and the daemon suppress alike.
func TestDefault_policyIsTheStoreDefault(t *testing.T) {
	got := suppress.New(nil, "", Default().Policy.Suppress(), nil).Policy()
	want := suppress.New(nil, "", suppress.DefaultPolicy(), nil).Policy()
	if !reflect.DeepEqual(got.Rules, want.Rules) || got.Burst != want.Burst || got.IdempotencyTTL != want.IdempotencyTTL {
		t.Errorf("store policy from Default() =\n%+v\nwant suppress.DefaultPolicy()'s\n%+v", got, want)
	}
}

// TestDefault_mailboxDefaults: a mailbox left empty gets the defaults its
// documentation (the field comments, the README) names, now taken from
// packages mailbox and pipeline.
func TestDefault_mailboxDefaults(t *testing.T) {
	m := Mailbox{Username: "shop@example.com"}
	mailboxDefaults(&m)
	if m.MaxRecipients != 200 || m.MaxNewSuppressionsPerMinute != 500 || m.BatchSize != 500 || m.Concurrency != 64 ||
		m.StopGrace.D().Seconds() != 10 || m.BackoffMin.D().Seconds() != 1 || m.BackoffMax.D().Minutes() != 2 || m.Name != "shop@example.com" || m.After != "move" {
		t.Errorf("mailboxDefaults() = %+v, want the documented defaults", m)
	}
}
