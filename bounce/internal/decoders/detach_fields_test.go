package decoders

import (
	"reflect"
	"testing"
)

// TestAppendStrings_everyField fails when a string field is added to
// Report, Recipient or Original without appendStrings naming it: detach
// would then leave that field sharing the caller's bytes.
func TestAppendStrings_everyField(t *testing.T) {
	rep := &Report{Recipients: make([]Recipient, 2)}
	named := map[*string]bool{}
	for _, p := range rep.appendStrings(nil) {
		named[p] = true
	}
	check := func(what string, v reflect.Value) {
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.Kind() != reflect.String {
				continue
			}
			if p := (*string)(f.Addr().UnsafePointer()); !named[p] {
				t.Errorf("%s.%s is a string that appendStrings does not name", what, v.Type().Field(i).Name)
			}
		}
	}
	check("Report", reflect.ValueOf(rep).Elem())
	for i := range rep.Recipients {
		check("Recipient", reflect.ValueOf(&rep.Recipients[i]).Elem())
	}
	check("Original", reflect.ValueOf(&rep.Original).Elem())
}
