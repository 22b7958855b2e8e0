package audit

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"vivier/internal/store"
)

// subjectTitles hold, for each kind of subject ("need" in "need:12"), the
// query that names its records, so that the audit page reads « besoin
// « Attractivité de Clion » » rather than a number. The names are read when
// the log is shown, never stored in it: a renamed record shows its new
// name, an erased person's record what erasure left. Kinds not listed here
// (the settings, a subscriber) keep their number.
var subjectTitles = map[string]string{
	"need":             `SELECT id, title FROM needs WHERE id IN (%s)`,
	"expert":           `SELECT id, trim(first_name || ' ' || last_name) FROM experts WHERE id IN (%s)`,
	"mission":          `SELECT m.id, n.title FROM missions m JOIN needs n ON n.id = m.need_id WHERE m.id IN (%s)`,
	"proposal":         `SELECT p.id, n.title FROM proposals p JOIN needs n ON n.id = p.need_id WHERE p.id IN (%s)`,
	"event":            `SELECT id, title FROM events WHERE id IN (%s)`,
	"training":         `SELECT id, title FROM trainings WHERE id IN (%s)`,
	"session":          `SELECT s.id, t.title FROM training_sessions s JOIN trainings t ON t.id = s.training_id WHERE s.id IN (%s)`,
	"campaign":         `SELECT id, subject FROM campaigns WHERE id IN (%s)`,
	"newsletter_list":  `SELECT id, name FROM newsletter_lists WHERE id IN (%s)`,
	"member":           `SELECT id, name FROM organisations WHERE id IN (%s)`,
	"partner":          `SELECT id, name FROM organisations WHERE id IN (%s)`,
	"membership":       `SELECT m.id, o.name || ', ' || CAST(m.year AS TEXT) FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.id IN (%s)`,
	"representation":   `SELECT id, topic FROM representations WHERE id IN (%s)`,
	"publication":      `SELECT id, title FROM publications WHERE id IN (%s)`,
	"press_mention":    `SELECT id, title FROM press_mentions WHERE id IN (%s)`,
	"audience_account": `SELECT id, name FROM audience_accounts WHERE id IN (%s)`,
}

// nameSubjects fills the SubjectTitle of the lines whose subject is a
// record of a kind that subjectTitles names: one query per kind.
func nameSubjects(ctx context.Context, q store.Querier, lines []Line) error {
	ids := map[string][]int64{}
	for _, l := range lines {
		if kind, id, ok := subjectRecord(l.Subject); ok {
			ids[kind] = append(ids[kind], id)
		}
	}
	titles := map[string]string{} // subject → title
	for kind, list := range ids {
		if err := readTitles(ctx, q, kind, list, titles); err != nil {
			return err
		}
	}
	for i := range lines {
		lines[i].SubjectTitle = titles[lines[i].Subject]
	}
	return nil
}

// subjectRecord splits "need:12" into its kind and id, for kinds that
// subjectTitles names.
func subjectRecord(subject string) (kind string, id int64, ok bool) {
	kind, n, found := strings.Cut(subject, ":")
	if _, named := subjectTitles[kind]; !found || !named {
		return "", 0, false
	}
	id, err := strconv.ParseInt(n, 10, 64)
	return kind, id, err == nil && id > 0
}

func readTitles(ctx context.Context, q store.Querier, kind string, ids []int64, into map[string]string) error {
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10) // integers parsed above: safe in the query
	}
	err := store.EachRow(ctx, q, fmt.Sprintf(subjectTitles[kind], strings.Join(list, ",")), func(scan func(...any) error) error {
		var id int64
		var title string
		if err := scan(&id, &title); err != nil {
			return err
		}
		into[kind+":"+strconv.FormatInt(id, 10)] = title
		return nil
	})
	if err != nil {
		return fmt.Errorf("name the audit entries' %s records: %w", kind, err)
	}
	return nil
}
