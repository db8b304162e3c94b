package app

import (
	"fmt"
	"strings"

	"github.com/bounced-dev/bounced/publisher"
)

// writeStoreAndStreamMetrics writes the publisher's counters (a stream
// recreated, events that cannot be published) and whether the
// suppression store has its epoch.
func (a *App) writeStoreAndStreamMetrics(b *strings.Builder) {
	a.mu.RLock()
	pub := a.pub
	a.mu.RUnlock()
	var st publisher.Stats
	if pub != nil {
		st = pub.Stats()
	}
	counter := func(name, help string, v int64) {
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	counter("bounced_stream_recreated_total", "Times the JetStream stream was found missing and created again.", st.StreamsRecreated)
	counter("bounced_publish_permanent_failures_total", "Events that cannot be published (too large, not permitted, stream full or not creatable).", st.PermanentFailures)
	ok := 0
	if a.epochComponent().OK {
		ok = 1
	}
	fmt.Fprintf(b, "# HELP bounced_store_epoch_ok Whether the suppression store has its epoch (0: Redis lost its data, run bounced rebuild).\n# TYPE bounced_store_epoch_ok gauge\nbounced_store_epoch_ok %d\n", ok)
}
