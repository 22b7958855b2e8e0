package need

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"vivier/internal/access"
	"vivier/internal/fr"
	"vivier/internal/organisation"
	"vivier/internal/valid"
)

// MaxImportSize is the largest needs file accepted, in bytes.
const MaxImportSize = 20 << 20

// ImportError refuses a needs file: every bad need and field, named as
// "needs[3].skills[0].code", or the line and column of malformed JSON.
// Nothing is written.
type ImportError struct{ Errors valid.Errors }

func (e *ImportError) Error() string {
	return fmt.Sprintf("fichier refusé, rien n’a été importé : %s", e.Errors.Error())
}

// Decode reads a JSON array of needs in the brief's format from r. It
// returns the needs and the decoding errors of each (an unknown field, a
// value of the wrong type), named "needs[3].skills[0].min_level"; malformed
// JSON is an *ImportError naming its line and column, and so is a string
// holding a NUL or invalid UTF-8 (valid.CheckJSON), naming its need and
// field.
func Decode(r io.Reader, limit int64) ([]Input, valid.Errors, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > limit {
		return nil, nil, &ImportError{valid.Errors{{Field: "needs", Message: fmt.Sprintf("le fichier dépasse %d Mo", limit>>20)}}}
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if err := valid.CheckJSON(data); err != nil {
		list, _ := valid.As(err)
		return nil, nil, &ImportError{valid.Errors{{Field: "needs" + list[0].Field, Message: list[0].Message}}}
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, nil, &ImportError{valid.Errors{{Field: "needs", Message: jsonMessage(data, err)}}}
	}
	var errs valid.Errors
	out := make([]Input, len(raw))
	for i, item := range raw {
		out[i] = decodeInput(item, fmt.Sprintf("needs[%d]", i), &errs)
	}
	return out, errs, nil
}

// DecodeOne reads one need (vivier match --need, the API) with the same
// rules, fields named without prefix.
func DecodeOne(data []byte) (Input, error) {
	var errs valid.Errors
	in := decodeInput(data, "", &errs)
	return in, errs.Err()
}

// decodeInput decodes one need field by field, so that every error names
// its exact path, array indexes included.
func decodeInput(raw json.RawMessage, prefix string, errs *valid.Errors) Input {
	var in Input
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		errs.Add(orRoot(prefix), "chaque besoin est un objet JSON { \"title\": …, … }")
		return in
	}
	path := func(name string) string {
		if prefix == "" {
			return name
		}
		return prefix + "." + name
	}
	targets := map[string]any{
		"title": &in.Title, "description": &in.Description, "commune": &in.Commune, "requester_siren": &in.RequesterSIREN,
		"kind": &in.Kind, "start": &in.Start, "end": &in.End, "days_per_week": &in.DaysPerWeek,
		"max_daily_rate": &in.MaxDailyRate, "format": &in.Format, "languages": &in.Languages,
		"requester": &in.Requester, "contact": &in.Contact,
	}
	for _, name := range sortedKeys(fields) {
		value := fields[name]
		if name == "skills" {
			in.Skills = decodeSkills(value, path("skills"), errs)
			continue
		}
		target, ok := targets[name]
		if !ok {
			errs.Add(path(name), "champ %q inconnu", name)
			continue
		}
		if err := json.Unmarshal(value, target); err != nil {
			errs.Add(path(name), "%s", typeMessage(err))
		}
	}
	return in
}

func decodeSkills(raw json.RawMessage, path string, errs *valid.Errors) []WantedSkill {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		errs.Add(path, "une liste de compétences [{\"code\": …, \"min_level\": …, \"required\": …}] est attendue")
		return nil
	}
	out := make([]WantedSkill, len(items))
	for i, item := range items {
		var fields map[string]json.RawMessage
		p := fmt.Sprintf("%s[%d]", path, i)
		if err := json.Unmarshal(item, &fields); err != nil {
			errs.Add(p, "chaque compétence est un objet {\"code\": …, \"min_level\": …, \"required\": …}")
			continue
		}
		targets := map[string]any{"code": &out[i].Code, "min_level": &out[i].MinLevel, "required": &out[i].Required}
		for _, name := range sortedKeys(fields) {
			target, ok := targets[name]
			if !ok {
				errs.Add(p+"."+name, "champ %q inconnu", name)
				continue
			}
			if err := json.Unmarshal(fields[name], target); err != nil {
				errs.Add(p+"."+name, "%s", typeMessage(err))
			}
		}
	}
	return out
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func orRoot(p string) string {
	if p == "" {
		return "need"
	}
	return p
}

// typeMessage explains in French a value of the wrong type.
func typeMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		kinds := map[string]string{"string": "du texte", "number": "un nombre", "bool": "vrai ou faux", "array": "une liste", "object": "un objet"}
		got := kinds[te.Value]
		if got == "" {
			got = te.Value
		}
		want := "une autre valeur"
		switch te.Type.Kind().String() {
		case "int", "int64", "ptr":
			want = "un nombre entier"
		case "string":
			want = "du texte"
		case "bool":
			want = "true ou false"
		case "slice":
			want = "une liste"
		}
		return fmt.Sprintf("%s trouvé là où il faut %s", got, want)
	}
	if strings.Contains(err.Error(), "date") || strings.Contains(err.Error(), "parsing") {
		return "date illisible : écrivez AAAA-MM-JJ, par exemple 2026-12-01"
	}
	return err.Error()
}

// jsonMessage says where JSON is malformed, by line and column.
func jsonMessage(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(data, se.Offset)
		return fmt.Sprintf("JSON mal formé ligne %s, colonne %s : %s", fr.Int(int64(line)), fr.Int(int64(col)), se.Error())
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line, col := position(data, te.Offset)
		return fmt.Sprintf("ligne %s, colonne %s : le fichier doit être un tableau JSON de besoins [ {…}, {…} ]", fr.Int(int64(line)), fr.Int(int64(col)))
	}
	return "JSON illisible : " + err.Error()
}

func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// Preview reads and checks a needs file as Import would, inside a
// transaction that is rolled back: the upload page lists the needs and
// every error, then asks to confirm. errs is empty when Import would
// accept the file.
func (s *Service) Preview(ctx context.Context, r io.Reader, limit int64, actor access.Actor) (needs []Input, errs valid.Errors, err error) {
	if err := staffOnly(actor); err != nil {
		return nil, nil, err
	}
	if limit == 0 {
		limit = MaxImportSize
	}
	inputs, decodeErrs, err := Decode(r, limit)
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			return nil, ie.Errors, nil
		}
		return nil, nil, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		needs, errs, err = s.check(ctx, tx, inputs, decodeErrs)
		if err != nil {
			return err
		}
		return errPreview
	})
	if errors.Is(err, errPreview) {
		err = nil
	}
	return needs, errs, err
}

var errPreview = errors.New("preview: roll back")

// check validates decoded needs within tx (where BySIREN may create the
// organisation of a commune or EPCI, hence the transaction).
func (s *Service) check(ctx context.Context, tx *sql.Tx, inputs []Input, decodeErrs valid.Errors) ([]Input, valid.Errors, error) {
	c, err := s.checker(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	all := decodeErrs
	checked := make([]Input, len(inputs))
	for i, in := range inputs {
		if hasPrefix(decodeErrs, fmt.Sprintf("needs[%d].", i)) {
			checked[i] = in
			continue // its values are already wrong: checking them would repeat the error
		}
		var errs valid.Errors
		checked[i], errs = c.normalise(in, false)
		if in.RequesterSIREN != "" && len(errs) == 0 {
			if _, err := organisation.BySIREN(ctx, tx, s.geo, in.RequesterSIREN); err != nil {
				fe, ok := valid.As(err)
				if !ok {
					return nil, nil, err
				}
				errs = append(errs, fe...)
			}
		}
		for _, fe := range errs {
			all = append(all, valid.FieldError{Field: fmt.Sprintf("needs[%d].%s", i, fe.Field), Message: fe.Message})
		}
	}
	return checked, all, nil
}

// Import stores every need of a JSON file (see Decode) as submitted, in one
// transaction: when any need is bad, nothing is written and the error is an
// *ImportError naming each bad need and field. It returns the ids created.
func (s *Service) Import(ctx context.Context, r io.Reader, limit int64, actor access.Actor) ([]int64, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = MaxImportSize
	}
	inputs, decodeErrs, err := Decode(r, limit)
	if err != nil {
		return nil, err
	}
	var ids []int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		checked, all, err := s.check(ctx, tx, inputs, decodeErrs)
		if err != nil {
			return err
		}
		if len(all) > 0 {
			return &ImportError{all}
		}
		c, err := s.checker(ctx, tx)
		if err != nil {
			return err
		}
		for _, in := range checked {
			org, err := s.requester(ctx, tx, in)
			if err != nil {
				return err
			}
			id, err := s.insert(ctx, tx, c, in, org, actor, "need.import")
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

func hasPrefix(errs valid.Errors, prefix string) bool {
	for _, e := range errs {
		if strings.HasPrefix(e.Field+".", prefix) {
			return true
		}
	}
	return false
}
