package valid

import "testing"

func TestCheckJSONNamesTheFieldOfABadString(t *testing.T) {
	for _, c := range []struct {
		name, doc, field string
	}{
		{"clean", `{"title":"Étude","n":[1,2]}`, ""},
		{"escaped NUL", `{"title":"a\u0000b"}`, "title"},
		{"nested NUL", `{"contact":{"name":"x","email":"a\u0000@b"}}`, "contact.email"},
		{"NUL in an array", `{"skills":[{"code":"a"},{"code":"b\u0000"}]}`, "skills[1].code"},
		{"top-level array", `[{"title":"ok"},{"title":"x\u0000"}]`, "[1].title"},
		{"invalid UTF-8", "{\"title\":\"ok\",\"description\":\"caf\xe9\"}", "description"},
		{"invalid UTF-8 in a key", "{\"ti\xfftle\":\"ok\"}", "ti\uFFFDtle"},
		{"a real U+FFFD is text", `{"title":"�"}`, ""},
		{"NUL escape inside a string", `{"title":"\\u0000"}`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckJSON([]byte(c.doc))
			got := ""
			if list, ok := As(err); ok {
				got = list[0].Field
			} else if err != nil {
				t.Fatalf("not a field error: %v", err)
			}
			if c.field == "" && err != nil || c.field != "" && got != c.field {
				t.Errorf("CheckJSON(%q) = %v, want field %q", c.doc, err, c.field)
			}
		})
	}
}
