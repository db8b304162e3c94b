package config

import (
	"fmt"
	"net/url"
	"strings"
)

// validateCluster checks that on a Redis Cluster every key of the store
// hashes to one slot: the store's Lua scripts touch several keys, some of
// them derived from the prefix inside the script, and Redis Cluster runs a
// script only when all its keys are in one slot (else CROSSSLOT, or a key
// on another node). Keys share a slot when the prefix holds a hash tag, a
// non-empty {…} (Redis Cluster specification, "Hash tags").
func (r Redis) validateCluster() []error {
	if !r.cluster() || hasHashTag(r.Prefix) {
		return nil
	}
	return []error{fmt.Errorf("config: redis.prefix %q: a Redis Cluster needs a hash tag in the prefix, such as \"{bounced}\", so that all keys are in one slot", r.Prefix)}
}

// cluster reports whether r names a Redis Cluster: several addresses
// (in redis.addrs or in redis.url) and no Sentinel master name.
func (r Redis) cluster() bool {
	if len(r.Addrs) > 0 {
		return len(r.Addrs) > 1 && r.MasterName == ""
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return false
	}
	q := u.Query()
	return q.Get("master_name") == "" && (strings.Contains(u.Host, ",") || len(q["addr"]) > 0)
}

// hasHashTag reports whether keys starting with prefix all hash by the
// same tag: the first "{" of the prefix is followed, within the prefix, by
// a "}" with at least one character between them.
func hasHashTag(prefix string) bool {
	i := strings.IndexByte(prefix, '{')
	if i < 0 {
		return false
	}
	j := strings.IndexByte(prefix[i+1:], '}')
	return j > 0
}
