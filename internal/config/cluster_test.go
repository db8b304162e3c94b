package config

import (
	"strings"
	"testing"
	"time"
)

func TestValidate_clusterPrefixNeedsHashTag(t *testing.T) {
	tests := []struct {
		name    string
		redis   Redis
		wantErr bool
	}{
		{"clusterDefaultPrefix", Redis{Addrs: []string{"a:7000", "b:7000"}, Prefix: "{bounced}"}, false},
		{"clusterTagInside", Redis{Addrs: []string{"a:7000", "b:7000"}, Prefix: "shop:{bounced}:v2"}, false},
		{"clusterNoTag", Redis{Addrs: []string{"a:7000", "b:7000"}, Prefix: "bounced"}, true},
		{"clusterEmptyTag", Redis{Addrs: []string{"a:7000", "b:7000"}, Prefix: "{}bounced"}, true},
		{"clusterOpenTag", Redis{Addrs: []string{"a:7000", "b:7000"}, Prefix: "bounced{"}, true},
		{"clusterInURL", Redis{URL: "redis://a:7000,b:7000/0", Prefix: "bounced"}, true},
		{"clusterAddrInURL", Redis{URL: "redis://a:7000/0?addr=b:7000", Prefix: "bounced"}, true},
		{"sentinel", Redis{Addrs: []string{"a:26379", "b:26379"}, MasterName: "mymaster", Prefix: "bounced"}, false},
		{"sentinelInURL", Redis{URL: "redis://a:26379,b:26379/0?master_name=mymaster", Prefix: "bounced"}, false},
		{"oneServer", Redis{URL: "redis://a:6379/0", Prefix: "bounced"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			c.Redis = tc.redis
			err := c.Validate()
			got := err != nil && strings.Contains(err.Error(), "hash tag")
			if got != tc.wantErr {
				t.Errorf("Validate() with %+v = %v, want a hash tag error: %v", tc.redis, err, tc.wantErr)
			}
		})
	}
}

// TestLoad_redisWaitReplicas: redis.wait_replicas and wait_timeout are
// read (off by default), so a daemon on replicated Redis can wait for its
// writes to reach a replica.
func TestLoad_redisWaitReplicas(t *testing.T) {
	if c := Default(); c.Redis.WaitReplicas != 0 {
		t.Errorf("default wait_replicas = %d, want 0", c.Redis.WaitReplicas)
	}
	c, err := Load(writeFile(t, "redis:\n  wait_replicas: 1\n  wait_timeout: 250ms\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Redis.WaitReplicas != 1 || c.Redis.WaitTimeout.D() != 250*time.Millisecond {
		t.Errorf("redis = %+v, want wait_replicas 1 and wait_timeout 250ms", c.Redis)
	}
}
