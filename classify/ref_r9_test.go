package classify

import "testing"

// TestClassify_refR9 holds the texts of the ninth unseen round's rules
// (rules/28-r9.tsv): qmail-ldap's disabled address and Exim's MX records
// that name no host, as their sources write them (hosts are examples).
// None may end as on_hold or undefined, or with low confidence.
func TestClassify_refR9(t *testing.T) {
	tests := []clearCase{
		// qmail-ldap qmail-lspawn.c, exit 225.
		{"qmail-ldap address disabled", failedReply("", "", "", "Mailaddress is administrativley disabled. (LDAP-ERR #220)"), Suspended},
		// Exim FAQ Q0302.
		{"exim mx to non-existent hosts", failedReply("", "5.0.0", "", "all relevant MX records point to non-existent hosts"), HostUnknown},
	}
	checkClear(t, tests)
}
