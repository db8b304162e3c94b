package config

import (
	"fmt"
	"time"
)

// Lease configures the lease per mailbox that lets several `bounced run`
// processes share the mailboxes: each mailbox is worked by the one process
// that holds its lease in Redis, the others stand by and take over when
// the holder dies (within ttl plus retry_interval). Every write made for a
// mailbox carries the lease's fencing token and is refused once another
// process took it. A single process works as without leases, except that
// after a crash its restart waits up to ttl for the old lease to expire.
type Lease struct {
	// Enabled turns the leases on (default true). Turn them off only when
	// a single process will ever work these mailboxes.
	Enabled bool `yaml:"enabled"`
	// TTL is how long a lease lives without renewal (default 6s): a dead
	// holder is replaced after at most TTL plus RetryInterval.
	TTL Duration `yaml:"ttl"`
	// RenewInterval is how often the holder renews (0: TTL/3). A
	// holder that could not renew for TTL minus RenewInterval stops.
	RenewInterval Duration `yaml:"renew_interval"`
	// RetryInterval is how often a standby tries to take a lease
	// (default 1s).
	RetryInterval Duration `yaml:"retry_interval"`
}

// validate checks l.
func (l Lease) validate() []error {
	if !l.Enabled {
		return nil
	}
	var errs []error
	if l.TTL < Duration(500*time.Millisecond) {
		errs = append(errs, fmt.Errorf("config: lease.ttl %s: want at least 500ms", l.TTL.D()))
	}
	if l.RenewInterval < 0 || l.RenewInterval > l.TTL/2 {
		errs = append(errs, fmt.Errorf("config: lease.renew_interval %s: want 0 (lease.ttl/3) or at most half of lease.ttl (%s)", l.RenewInterval.D(), l.TTL.D()))
	}
	if l.RetryInterval <= 0 || l.RetryInterval > l.TTL {
		errs = append(errs, fmt.Errorf("config: lease.retry_interval %s: want more than 0 and at most lease.ttl (%s)", l.RetryInterval.D(), l.TTL.D()))
	}
	return errs
}
