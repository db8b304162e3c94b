package config

import (
	"strings"
	"testing"
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
