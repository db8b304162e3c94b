package testutil

import (
	"reflect"
	"testing"
)

func TestParseClusterNodes(t *testing.T) {
	// The example of https://redis.io/docs/latest/commands/cluster-nodes/,
	// with a failed master and a slot being migrated added.
	text := `07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004,hostname4 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected
67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002,hostname2 master - 0 1426238316232 2 connected 5461-10922
292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@31003,hostname3 master,fail - 0 1426238318243 3 disconnected 10923-16383
e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001,hostname1 myself,master - 0 0 1 connected 0-5460 [5461->-67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1]
`
	got := parseClusterNodes(text)
	want := []RedisClusterNode{
		{ID: "07c37dfeb235213a872192d90877d0cd55635b91", Addr: "127.0.0.1:30004", MasterID: "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca", Connected: true},
		{ID: "67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1", Addr: "127.0.0.1:30002", Master: true, Connected: true, Slots: [][2]int{{5461, 10922}}},
		{ID: "292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f", Addr: "127.0.0.1:30003", Master: true, Failed: true, Slots: [][2]int{{10923, 16383}}},
		{ID: "e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca", Addr: "127.0.0.1:30001", Master: true, Connected: true, Slots: [][2]int{{0, 5460}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseClusterNodes() = %+v, want %+v", got, want)
	}
	if !got[1].Serves(5461) || !got[1].Serves(10922) || got[1].Serves(10923) {
		t.Errorf("Serves() of %v is wrong at the range's ends", got[1].Slots)
	}
}

func TestReplicasInSync(t *testing.T) {
	tests := []struct {
		name string
		info string
		want bool
	}{
		{"inSync", "role:master\r\nconnected_slaves:1\r\nslave0:ip=127.0.0.1,port=7001,state=online,offset=1234,lag=0\r\nmaster_repl_offset:1234\r\n", true},
		{"behind", "role:master\r\nconnected_slaves:1\r\nslave0:ip=127.0.0.1,port=7001,state=online,offset=1200,lag=0\r\nmaster_repl_offset:1234\r\n", false},
		{"syncing", "role:master\r\nconnected_slaves:1\r\nslave0:ip=127.0.0.1,port=7001,state=wait_bgsave,offset=0,lag=0\r\nmaster_repl_offset:0\r\n", false},
		{"noReplica", "role:master\r\nconnected_slaves:0\r\nmaster_repl_offset:1234\r\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := replicasInSync(tc.info); got != tc.want {
				t.Errorf("replicasInSync(%q) = %v, want %v", tc.info, got, tc.want)
			}
		})
	}
}
