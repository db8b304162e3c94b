package outcome

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// every returns a Verdict with every field set, each to a value of its own.
func every() Verdict {
	var v Verdict
	rv := reflect.ValueOf(&v).Elem()
	for i := range rv.NumField() {
		if rv.Field(i).Kind() == reflect.Bool {
			rv.Field(i).SetBool(true)
			continue
		}
		rv.Field(i).SetString("v-" + rv.Type().Field(i).Name + " ü&<")
	}
	return v
}

func TestVerdict_fieldsRoundTrip(t *testing.T) {
	for _, v := range []Verdict{every(), {}, {Kind: "bounce", Hard: false, Reason: "x"}} {
		pairs := v.AppendFields(nil)
		if len(pairs) != 2*reflect.TypeFor[Verdict]().NumField() {
			t.Fatalf("AppendFields() has %d values, want a pair per field", len(pairs))
		}
		m := map[string]string{}
		for i := 0; i < len(pairs); i += 2 {
			m[pairs[i].(string)] = pairs[i+1].(string)
		}
		if got := FromFields(m); got != v {
			t.Errorf("FromFields(AppendFields(%+v)) = %+v", v, got)
		}
	}
	if got := FromFields(nil); got != (Verdict{}) {
		t.Errorf("FromFields(nil) = %+v, want the zero Verdict", got)
	}
}

// TestVerdict_namesAreJSON: the flat form's names are the JSON's, in
// order, so that a field added to Verdict is named alike everywhere.
func TestVerdict_namesAreJSON(t *testing.T) {
	b, err := json.Marshal(every())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	names := FieldNames()
	if len(m) != len(names) {
		t.Errorf("JSON has %d keys, FieldNames() %d", len(m), len(names))
	}
	for _, n := range names {
		if _, ok := m[n]; !ok {
			t.Errorf("FieldNames() has %q, the JSON does not", n)
		}
	}
	want := []string{"kind", "reason", "category", "hard", "status", "reply_code", "diagnostic", "remote_mta",
		"reporting_mta", "format", "rule", "confidence", "rule_source", "original_message_id", "original_subject"}
	if !slices.Equal(names, want) {
		t.Errorf("FieldNames() = %q, want %q", names, want)
	}
}

func TestVerdict_hardFlat(t *testing.T) {
	got := Verdict{Hard: true}.AppendFields(nil)
	i := slices.Index(got, any("hard"))
	if i < 0 || got[i+1] != "1" {
		t.Errorf("AppendFields(Hard) = %q, want hard 1", got)
	}
	if FromFields(map[string]string{"hard": "0"}).Hard || FromFields(map[string]string{"hard": "true"}).Hard {
		t.Error(`FromFields(hard "0" or "true") is hard, want only "1"`)
	}
}

func BenchmarkVerdict_AppendFields(b *testing.B) {
	v := every()
	buf := make([]any, 0, 64)
	for b.Loop() {
		buf = v.AppendFields(buf[:0])
	}
}

func BenchmarkVerdict_FromFields(b *testing.B) {
	pairs := every().AppendFields(nil)
	m := map[string]string{}
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i].(string)] = pairs[i+1].(string)
	}
	for b.Loop() {
		_ = FromFields(m)
	}
}
