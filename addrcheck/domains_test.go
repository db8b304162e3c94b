package addrcheck

import (
	"strings"
	"testing"
)

func TestBuiltinDomains_parse(t *testing.T) {
	ds := BuiltinDomains()
	if len(ds) < 40 {
		t.Fatalf("BuiltinDomains() = %d entries, want the whole table", len(ds))
	}
	// The providers the issue names must be near-miss targets.
	targets := map[string]bool{}
	for _, d := range ds {
		if d.Target {
			targets[d.Name] = true
		}
	}
	for _, name := range []string{
		"gmail.com", "googlemail.com", "yahoo.co.jp", "yahoo.com", "docomo.ne.jp", "ezweb.ne.jp", "au.com",
		"softbank.ne.jp", "i.softbank.jp", "ymobile.ne.jp", "icloud.com", "me.com", "outlook.jp", "outlook.com",
		"hotmail.co.jp", "hotmail.com", "live.jp", "nifty.com", "biglobe.ne.jp", "ocn.ne.jp", "rakumail.jp",
	} {
		if !targets[name] {
			t.Errorf("%s is not a near-miss target in domains.txt", name)
		}
	}
}

func TestParseDomains_errors(t *testing.T) {
	for _, in := range []string{
		"gmail.com Gmail\n",           // too few fields
		"gmail.com nttx typo Gmail\n", // unknown carrier
		"gmail.com - maybe Gmail\n",   // unknown use
	} {
		if _, err := parseDomains(in); err == nil {
			t.Errorf("parseDomains(%q) = nil error", in)
		}
	}
	for _, ds := range [][]Domain{
		{{Name: "com"}},                            // a public suffix
		{{Name: "bad_domain.jp"}},                  // not LDH
		{{Name: "a.example"}, {Name: "a.example"}}, // twice
	} {
		if _, err := newTable(ds); err == nil {
			t.Errorf("newTable(%v) = nil error", ds)
		}
	}
}

func TestCarrier(t *testing.T) {
	tests := map[string]string{
		"docomo.ne.jp": CarrierDocomo, "DOCOMO.NE.JP.": CarrierDocomo, "taro@docomo.ne.jp": CarrierDocomo,
		"mopera.net":  CarrierDocomo,
		"ezweb.ne.jp": CarrierAU, "au.com": CarrierAU, "biz.ezweb.ne.jp": CarrierAU, "uqmobile.jp": CarrierAU,
		"softbank.ne.jp": CarrierSoftBank, "i.softbank.jp": CarrierSoftBank, "t.vodafone.ne.jp": CarrierSoftBank,
		"k.vodafone.ne.jp": CarrierSoftBank, "disney.ne.jp": CarrierSoftBank, "ymobile.ne.jp": CarrierSoftBank,
		"yahoo.ne.jp": CarrierSoftBank, "di.pdx.ne.jp": CarrierSoftBank,
		"rakumail.jp": CarrierRakuten,
		"gmail.com":   "", "yahoo.co.jp": "", "docomo.ne.jo": "", "nttdocomo.co.jp": "", "softbank.co.jp": "",
		"example.com": "", "": "", "mineo.jp": "", "dion.ne.jp": "",
	}
	for in, want := range tests {
		if got := Carrier(in); got != want {
			t.Errorf("Carrier(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Provider("gmail.com"); got != "Gmail" {
		t.Errorf("Provider(gmail.com) = %q", got)
	}
}

// TestNearMiss holds the slips the table must catch and the suggestion.
func TestNearMiss(t *testing.T) {
	tests := map[string]string{
		// TLD slips
		"docomo.ne.jo": "docomo.ne.jp", "ezweb.ne.jo": "ezweb.ne.jp", "gmail.co": "gmail.com",
		"yahoo.co.jo": "yahoo.co.jp", "docomo.co.jp": "docomo.ne.jp", "gmail.cm": "gmail.com",
		"gmail.con": "gmail.com", "hotmail.co": "hotmail.com", "yahoo.com.jp": "yahoo.co.jp",
		"icloud.co": "icloud.com", "au.co": "au.com", "me.co": "me.com", "softbank.ne.jo": "softbank.ne.jp",
		"i.softbank.jo": "i.softbank.jp", "outlook.jo": "outlook.jp", "rakumail.jo": "rakumail.jp",
		"ezweb.or.jp": "ezweb.ne.jp", "docomo.jp": "docomo.ne.jp", "docomo.ne.jpp": "docomo.ne.jp",
		// dots moved
		"docomone.jp": "docomo.ne.jp", "docomo.nejp": "docomo.ne.jp", "gmailcom.jp": "", "isoftbank.jp": "i.softbank.jp",
		// name slips
		"gmai.com": "gmail.com", "gmial.com": "gmail.com", "gmaill.com": "gmail.com", "dokomo.ne.jp": "docomo.ne.jp",
		"docomo.ne.jp": "", "ezwed.ne.jp": "ezweb.ne.jp", "softbnak.ne.jp": "softbank.ne.jp", "sofbank.ne.jp": "softbank.ne.jp",
		"yahooo.co.jp": "yahoo.co.jp", "hotmial.co.jp": "hotmail.co.jp", "iclod.com": "icloud.com",
		"outlok.com": "outlook.com", "googlemial.com": "googlemail.com", "nifty.con": "nifty.com",
		"biglobe.ne.jo": "biglobe.ne.jp", "ocn.ne.jo": "ocn.ne.jp", "ymobile.ne.jo": "ymobile.ne.jp",
		"rakumial.jp": "rakumail.jp", "uqmobile.jo": "uqmobile.jp",
		// under "*." entries
		"abc.ocn.ne.jo": "abc.ocn.ne.jp", "t.vodafone.ne.jo": "t.vodafone.ne.jp", "xy.bigloe.ne.jp": "xy.biglobe.ne.jp",
	}
	tb := builtinTable()
	for in, want := range tests {
		got := tb.nearMiss(in)
		switch {
		case want == "" && len(got) != 0:
			t.Errorf("nearMiss(%q) = %v, want none", in, got)
		case want != "" && (len(got) != 1 || got[0] != want):
			t.Errorf("nearMiss(%q) = %v, want %s", in, got, want)
		}
	}
}

// TestNearMiss_legitimate: real domains are never taken for typos — the
// listed ones (mail.com is one edit from gmail.com) and a set of unlisted
// real domains of shops' customers abroad and at home.
func TestNearMiss_legitimate(t *testing.T) {
	tb := builtinTable()
	var legit []string
	for _, e := range tb.entries {
		legit = append(legit, strings.TrimPrefix(e.Name, "*."))
	}
	legit = append(legit,
		"example.com", "example.co.jp", "web.de", "yandex.ru", "qq.com", "naver.com", "163.com", "126.com",
		"hey.com", "fastmail.com", "comcast.net", "att.net", "verizon.net", "t-online.de", "orange.fr",
		"libero.it", "free.fr", "laposte.net", "seznam.cz", "wp.pl", "mail.ru", "inbox.ru", "bk.ru",
		"yahoo.de", "yahoo.fr", "yahoo.ca", "yahoo.es", "yahoo.it", "yahoo.co.in", "yahoo.co.id", "yahoo.com.tw",
		"yahoo.com.au", "yahoo.com.br", "hotmail.fr", "hotmail.it", "hotmail.es", "hotmail.ca", "hotmail.de",
		"hotmail.co.uk", "outlook.de", "outlook.es", "outlook.fr", "live.fr", "live.ca", "live.co.uk", "live.nl",
		"gmx.at", "gmx.ch", "icloud.jp", "aol.de", "ai.com", "eu.com", "mail.de",
		"jcom.home.ne.jp", "ab.auone-net.jp", "a.zaq.ne.jp", "kk.em-net.ne.jp", "tbz.t-com.ne.jp",
		"nttdocomo.com", "kddi.ne.jp", "softbank.com", "rakuten.com", "sony.co.jp", "hitachi.co.jp",
		"ntt.com", "ocn.com", "kyoto-u.ac.jp", "u-tokyo.ac.jp", "city.osaka.lg.jp",
		"emobile.ne.jp", "cloud.com", "icloud.com", "me.com", "mac.com", "au.com", "docomo.ne.jp", "t.vodafone.ne.jp", "mbr.nifty.com",
	)
	for _, d := range legit {
		if got := tb.nearMiss(d); len(got) != 0 {
			t.Errorf("nearMiss(%q) = %v, want none: a real domain", d, got)
		}
	}
}

func TestNew_domains(t *testing.T) {
	// A shop adds a partner's domain one edit from gmail.com: no longer a typo.
	c, err := New(Options{Domains: []Domain{{Name: "gmall.com", Provider: "partner"}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Check("a@gmall.com"); len(r.Faults) != 0 || r.Provider != "partner" {
		t.Errorf("with gmall.com listed: Check = %v provider %q", codes(r), r.Provider)
	}
	if r := Check("a@gmall.com"); !r.Has(CodeDomainTypo) {
		t.Errorf("built-in: Check(a@gmall.com) = %v, want domain_typo", codes(r))
	}
	if _, err := New(Options{Domains: []Domain{{Name: "not a domain"}}}); err == nil {
		t.Error("New with an invalid domain = nil error")
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"gmail", "gmail", 0}, {"gmail", "gmai", 1}, {"gmail", "gmial", 1}, {"gmail", "gnail", 1},
		{"gmail", "gmaill", 1}, {"jp", "jo", 1}, {"ne.jp", "co.jp", 2}, {"ca", "abc", 3}, {"", "abc", 3},
		{"softbank", "sfotbnak", 2}, {"softbank", "sofbtank", 1}, {"abcdef", "badcfe", 3},
	}
	for _, tc := range tests {
		if got := distance(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := distance(tc.b, tc.a); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d (symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}
