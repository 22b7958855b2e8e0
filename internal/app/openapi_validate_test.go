package app_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// A validator for the subset of JSON Schema that internal/api/openapi.json
// uses: type (one or a list), required, properties, additionalProperties
// false, items, enum and $ref to #/components/schemas. Written here rather
// than taken from a library: the subset is small, and a dependency for it
// would be larger than the code (see the report of the pool's web layer).

// openAPIDoc is the parsed OpenAPI document.
type openAPIDoc struct {
	root    map[string]any
	schemas map[string]any
}

func loadOpenAPI(path string) (*openAPIDoc, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var root map[string]any
	if err := json.Unmarshal(b, &root); err != nil {
		return nil, err
	}
	comps, _ := root["components"].(map[string]any)
	schemas, _ := comps["schemas"].(map[string]any)
	return &openAPIDoc{root: root, schemas: schemas}, nil
}

// responseSchema is the schema documented for path (as written in the
// document, e.g. "/experts/{id}"), method and status.
func (d *openAPIDoc) responseSchema(path, method string, status int) (any, error) {
	paths, _ := d.root["paths"].(map[string]any)
	item, ok := paths[path].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("path %s is not documented", path)
	}
	op, ok := item[strings.ToLower(method)].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s is not documented", method, path)
	}
	responses, _ := op["responses"].(map[string]any)
	resp, ok := responses[fmt.Sprint(status)].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s %s: status %d is not documented", method, path, status)
	}
	content, _ := resp["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	if media == nil {
		return nil, fmt.Errorf("%s %s %d: no application/json schema", method, path, status)
	}
	return media["schema"], nil
}

// validate checks the JSON document body against schema and returns every
// violation, each with its JSON path.
func (d *openAPIDoc) validate(schema any, body []byte) []string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var errs []string
	d.check(schema, v, "$", &errs)
	return errs
}

func (d *openAPIDoc) check(schema any, v any, at string, errs *[]string) {
	s, ok := schema.(map[string]any)
	if !ok {
		*errs = append(*errs, at+": schema is not an object")
		return
	}
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		target, found := d.schemas[name]
		if !found {
			*errs = append(*errs, at+": unknown $ref "+ref)
			return
		}
		d.check(target, v, at, errs)
		return
	}
	if t, ok := s["type"]; ok && !typeMatches(t, v) {
		*errs = append(*errs, fmt.Sprintf("%s: %s is not of type %v", at, jsonKind(v), t))
		return
	}
	if enum, ok := s["enum"].([]any); ok && !inEnum(enum, v) {
		*errs = append(*errs, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
	}
	switch val := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if _, ok := val[r.(string)]; !ok {
				*errs = append(*errs, fmt.Sprintf("%s: required property %q is missing", at, r))
			}
		}
		for k, x := range val {
			if p, ok := props[k]; ok {
				d.check(p, x, at+"."+k, errs)
			} else if s["additionalProperties"] == false {
				*errs = append(*errs, fmt.Sprintf("%s: property %q is not documented", at, k))
			}
		}
	case []any:
		if items, ok := s["items"]; ok {
			for i, x := range val {
				d.check(items, x, fmt.Sprintf("%s[%d]", at, i), errs)
			}
		}
	}
}

func asList(v any) []any { l, _ := v.([]any); return l }

func typeMatches(t any, v any) bool {
	if list, ok := t.([]any); ok {
		for _, x := range list {
			if typeMatches(x, v) {
				return true
			}
		}
		return false
	}
	kind := jsonKind(v)
	return kind == t || (t == "number" && kind == "integer")
}

// jsonKind names the JSON Schema type of a decoded value.
func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if fmt.Sprint(e) == fmt.Sprint(v) && jsonKind(e) == jsonKind(v) {
			return true
		}
	}
	return false
}

// TestOpenAPIValidatorRejects proves the validator can fail: each broken
// answer below must be refused.
func TestOpenAPIValidatorRejects(t *testing.T) {
	doc, err := loadOpenAPI("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	schema, err := doc.responseSchema("/needs/{id}", "GET", 404)
	if err != nil {
		t.Fatal(err)
	}
	if errs := doc.validate(schema, []byte(`{"error":{"code":"not_found","message":"x"}}`)); len(errs) != 0 {
		t.Errorf("a valid error refused: %v", errs)
	}
	for _, body := range []string{`{}`, `{"error":{"code":1,"message":"x"}}`, `{"error":{"message":"x"}}`, `[]`} {
		if errs := doc.validate(schema, []byte(body)); len(errs) == 0 {
			t.Errorf("%s accepted as an Error", body)
		}
	}
	expert, _ := doc.responseSchema("/experts/{id}", "GET", 200)
	if errs := doc.validate(expert, []byte(`{"id":1,"surprise":true}`)); len(errs) < 2 {
		t.Errorf("an expert with missing and undocumented fields: %v", errs)
	}
}
