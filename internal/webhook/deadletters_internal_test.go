package webhook

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/bounced-dev/bounced/internal/testutil"
)

// countingStream counts the messages asked of a stream.
type countingStream struct {
	jetstream.Stream
	gets atomic.Int64
}

func (s *countingStream) GetMsg(ctx context.Context, seq uint64, opts ...jetstream.GetMsgOpt) (*jetstream.RawStreamMsg, error) {
	s.gets.Add(1)
	return s.Stream.GetMsg(ctx, seq, opts...)
}

// TestLastOnSubject_fewRequests: the last 20 of 2,000 dead letters spread
// among 10,000 other events are found by halving with requests in
// proportion to 20, not to the messages of the subject or of the stream;
// the last 20 of 25 lying far apart by reading the 25.
func TestLastOnSubject_fewRequests(t *testing.T) {
	srv := testutil.StartNATSEmbedded(t)
	nc, err := nats.Connect(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}, Storage: jetstream.MemoryStorage})
	if err != nil {
		t.Fatal(err)
	}
	// Each message's body is its number on its subject.
	count := map[string]int{}
	publish := func(subj string, n int) {
		for range n {
			if _, err := js.PublishAsync(subj, []byte(fmt.Sprint(count[subj]))); err != nil {
				t.Fatal(err)
			}
			count[subj]++
		}
	}
	// dense: 2,000 dead letters, one every 6 messages. sparse: 25, the
	// last 20 of them 400 messages apart.
	settle := func() {
		select {
		case <-js.PublishAsyncComplete():
		case <-ctx.Done():
			t.Fatal("publish did not complete")
		}
	}
	for i := range 2000 {
		publish("t.dense", 1)
		publish("t.other", 5)
		if i%80 == 0 {
			publish("t.sparse", 1)
		}
		if i%100 == 99 {
			// At most about 600 acknowledgements outstanding: far below
			// the client's async limit, whose stall (200 ms) a loaded
			// machine reached with all 12,025 in flight.
			settle()
		}
	}
	settle()
	info, err := st.Info(ctx)
	if err != nil || info.State.Msgs != 2000*6+25 {
		t.Fatalf("stream holds %d messages (%v), want %d", info.State.Msgs, err, 2000*6+25)
	}
	for _, tc := range []struct {
		subj      string
		stored    int
		maxGets   int64
		wantFirst string // the newest message's body
	}{
		{"t.dense", 2000, 120, "1999"},
		{"t.sparse", 25, 30, "24"},
	} {
		t.Run(tc.subj, func(t *testing.T) {
			cs := &countingStream{Stream: st}
			var out []*jetstream.RawStreamMsg
			if err := lastMsgs(ctx, cs, tc.subj, info.State.FirstSeq, info.State.LastSeq+1, uint64(tc.stored), 20, &out); err != nil {
				t.Fatal(err)
			}
			if len(out) != 20 || string(out[0].Data) != tc.wantFirst {
				t.Fatalf("lastOnSubject() gave %d messages, the first %q; want 20, the newest %s first", len(out), out[0].Data, tc.wantFirst)
			}
			for i, m := range out {
				if m.Subject != tc.subj || i > 0 && m.Sequence >= out[i-1].Sequence {
					t.Errorf("message %d: %s seq %d, want %s, older than the one before", i, m.Subject, m.Sequence, tc.subj)
				}
				if want := fmt.Sprint(tc.stored - 1 - i); string(m.Data) != want {
					t.Errorf("message %d = %q, want %s", i, m.Data, want)
				}
			}
			t.Logf("%s: the last 20 of %d among %d messages in %d requests", tc.subj, tc.stored, info.State.Msgs, cs.gets.Load())
			// Through the halving search too, however few they are.
			var halved []*jetstream.RawStreamMsg
			if err := lastOnSubject(ctx, st, tc.subj, info.State.FirstSeq, info.State.LastSeq+1, 20, &halved); err != nil || len(halved) != 20 || halved[19].Sequence != out[19].Sequence {
				t.Errorf("lastOnSubject() = %d messages, %v; want the same 20", len(halved), err)
			}
			if n := cs.gets.Load(); n > tc.maxGets {
				t.Errorf("lastOnSubject() asked %d messages, want at most %d", n, tc.maxGets)
			}
		})
	}
}
