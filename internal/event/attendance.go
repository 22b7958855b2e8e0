package event

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/store"
	"vivier/internal/tabular"
)

// CheckIn ticks (or unticks) a confirmed participant present at the door.
func (s *Service) CheckIn(ctx context.Context, regID int64, present bool, actor access.Actor) error {
	list, err := queryRegistrations(ctx, s.db, "id = $1", regID)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return store.NotFound("registration %d", regID)
	}
	r := list[0]
	if _, err := s.staffEvent(ctx, r.EventID, actor); err != nil {
		return err
	}
	if r.Status != Confirmed {
		return access.Errorf(access.Conflict, "seule une inscription confirmée peut être pointée présente (celle-ci est %s)", r.Status.Label())
	}
	if r.Present == present {
		return nil
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var at any
		if present {
			at = now
		}
		res, err := tx.ExecContext(ctx, `UPDATE event_registrations SET present = $1, checked_in_at = $2, updated_at = $3
			WHERE id = $4 AND status = 'confirmed' AND present <> $1`, present, at, now, regID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "event.checked_in", Subject: fmt.Sprintf("event:%d", r.EventID),
			Details: map[string]any{"registration": regID, "present": present}})
	})
}

// MaxAttendanceFile bounds a webinar tool's export.
const MaxAttendanceFile = 5 << 20

// ImportReport says what an attendance import did.
type ImportReport struct {
	Lines     int         // data lines read
	Matched   int         // registrations found by email
	Present   int         // of them, present (attended at least the event's share)
	Unmatched []Unmatched // lines whose email is not a confirmed registration: listed, never dropped silently
}

// Unmatched is a line of the export that matches no confirmed registration.
type Unmatched struct {
	Line    int
	Email   string
	Minutes int
}

// ImportError refuses a whole file: every bad line with its column.
type ImportError struct{ Errors []*tabular.Error }

func (e *ImportError) Error() string {
	return fr.Int(int64(len(e.Errors))) + " ligne(s) en erreur, rien n’a été importé"
}

// The headers the main webinar tools write, by tabular.Key, in French and
// English (Zoom, Teams, GoToWebinar, Livestorm, Webex…).
var (
	emailHeaders = []string{"email", "e_mail", "user_email", "email_address", "attendee_email", "adresse_e_mail",
		"adresse_email", "adresse_electronique", "courriel", "mail", "email_de_l_utilisateur", "e_mail_du_participant", "adresse_de_messagerie"}
	joinHeaders = []string{"join_time", "first_join", "first_join_time", "joined", "heure_d_arrivee", "heure_de_connexion",
		"heure_d_entree", "date_de_connexion", "heure_de_participation", "arrivee", "connexion"}
	leaveHeaders = []string{"leave_time", "last_leave", "last_leave_time", "left", "heure_de_depart", "heure_de_sortie",
		"heure_de_deconnexion", "date_de_deconnexion", "depart", "deconnexion"}
	durationHeaders = []string{"duration_minutes", "duration", "time_in_session", "time_in_session_minutes", "attendance_duration",
		"in_meeting_duration", "duree", "duree_minutes", "duree_de_presence", "temps_de_presence", "temps_passe", "minutes"}
)

func column(header []string, keys []string) int {
	for i, h := range header {
		k := tabular.Key(h)
		for _, want := range keys {
			if k == want {
				return i
			}
		}
	}
	return -1
}

// ImportAttendance reads a webinar tool's attendance export (CSV or XLSX:
// an email, and a join and leave time or a duration) and marks present the
// confirmed registrations whose person attended at least the event's share
// (Event.AttendanceShare); several lines of one email (reconnections) add
// up. The file is read and checked whole before anything is written: one
// bad line refuses it all (ImportError, every line named). Lines whose
// email matches no confirmed registration are listed in the report.
func (s *Service) ImportAttendance(ctx context.Context, eventID int64, r io.Reader, actor access.Actor) (ImportReport, error) {
	e, err := s.staffEvent(ctx, eventID, actor)
	if err != nil {
		return ImportReport{}, err
	}
	t, err := tabular.Read(r, MaxAttendanceFile)
	if err != nil {
		if te, ok := err.(*tabular.Error); ok {
			return ImportReport{}, &ImportError{Errors: []*tabular.Error{te}}
		}
		return ImportReport{}, err
	}
	ce, cj, cl, cd := column(t.Header, emailHeaders), column(t.Header, joinHeaders), column(t.Header, leaveHeaders), column(t.Header, durationHeaders)
	var bad []*tabular.Error
	if ce < 0 {
		bad = append(bad, &tabular.Error{Line: 1, Message: "aucune colonne d’adresse électronique (email, e-mail, courriel…)"})
	}
	if cd < 0 && (cj < 0 || cl < 0) {
		bad = append(bad, &tabular.Error{Line: 1, Message: "il faut une colonne de durée (duration, durée…) ou les heures d’arrivée et de départ (join time, leave time…)"})
	}
	if len(bad) > 0 {
		return ImportReport{}, &ImportError{Errors: bad}
	}
	minutes := map[string]int{}
	lines := map[string][]int{}
	var order []string
	rep := ImportReport{}
	for _, row := range t.Rows {
		if len(bad) >= 100 {
			bad = append(bad, &tabular.Error{Line: row.Line, Message: "trop d’erreurs : lecture arrêtée"})
			break
		}
		rep.Lines++
		email := strings.ToLower(strings.TrimSpace(row.Cell(ce)))
		if !strings.Contains(email, "@") || len(email) > 254 {
			bad = append(bad, &tabular.Error{Line: row.Line, Column: ce + 1, Message: fmt.Sprintf("adresse électronique illisible : %q", cut(email))})
			continue
		}
		var m int
		if cd >= 0 && strings.TrimSpace(row.Cell(cd)) != "" {
			if m, err = parseDuration(row.Cell(cd)); err != nil {
				bad = append(bad, &tabular.Error{Line: row.Line, Column: cd + 1, Message: err.Error()})
				continue
			}
		} else if cj >= 0 && cl >= 0 {
			join, err1 := parseTime(row.Cell(cj))
			leave, err2 := parseTime(row.Cell(cl))
			switch {
			case err1 != nil:
				bad = append(bad, &tabular.Error{Line: row.Line, Column: cj + 1, Message: err1.Error()})
				continue
			case err2 != nil:
				bad = append(bad, &tabular.Error{Line: row.Line, Column: cl + 1, Message: err2.Error()})
				continue
			case leave.Before(join):
				bad = append(bad, &tabular.Error{Line: row.Line, Column: cl + 1, Message: "l’heure de départ précède l’heure d’arrivée"})
				continue
			}
			// Only the time inside the event counts.
			join, leave = later(join, e.StartsAt), earlier(leave, e.EndsAt)
			if leave.After(join) {
				m = int(leave.Sub(join).Minutes())
			}
		} else {
			bad = append(bad, &tabular.Error{Line: row.Line, Column: cd + 1, Message: "durée manquante"})
			continue
		}
		if _, seen := minutes[email]; !seen {
			order = append(order, email)
		}
		minutes[email] += m
		lines[email] = append(lines[email], row.Line)
	}
	if len(bad) > 0 {
		return ImportReport{}, &ImportError{Errors: bad}
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		rep.Matched, rep.Present, rep.Unmatched = 0, 0, nil
		regs, err := queryRegistrations(ctx, tx, "event_id = $1 AND status = 'confirmed'", eventID)
		if err != nil {
			return err
		}
		byEmail := map[string]Registration{}
		for _, r := range regs {
			byEmail[r.Email] = r
		}
		need := e.Minutes() * e.AttendanceShare / 100
		now := s.now()
		for _, email := range order {
			r, ok := byEmail[email]
			m := min(minutes[email], e.Minutes())
			if !ok {
				rep.Unmatched = append(rep.Unmatched, Unmatched{Line: lines[email][0], Email: email, Minutes: m})
				continue
			}
			rep.Matched++
			present := m >= need
			if present {
				rep.Present++
			}
			if _, err := tx.ExecContext(ctx, `UPDATE event_registrations SET attended_minutes = $1, present = $2, updated_at = $3 WHERE id = $4`,
				m, present, now, r.ID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "event.attendance_imported", Subject: fmt.Sprintf("event:%d", eventID),
			Details: map[string]any{"lines": rep.Lines, "matched": rep.Matched, "present": rep.Present, "unmatched": len(rep.Unmatched)}})
	})
	return rep, err
}

func cut(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

var (
	hms      = regexp.MustCompile(`^(\d{1,2}):(\d{2})(?::(\d{2}))?$`)
	unitsDur = regexp.MustCompile(`^(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:m|min|mn|minutes?))?\s*(?:(\d+)\s*(?:s|sec|secondes?|seconds?))?$`)
)

// parseDuration reads a duration in minutes ("62"), h:mm:ss ("1:02:03") or
// with units ("1h 2m 3s", "62 min"), rounded down to the minute.
func parseDuration(s string) (int, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64); err == nil {
		if n < 0 || n > 100000 {
			return 0, fmt.Errorf("durée invraisemblable : %q minutes", s)
		}
		return int(n), nil
	}
	if m := hms.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		mm, _ := strconv.Atoi(m[2])
		return h*60 + mm, nil
	}
	if m := unitsDur.FindStringSubmatch(s); m != nil && s != "" {
		h, _ := strconv.Atoi(m[1])
		mm, _ := strconv.Atoi(m[2])
		if h > 1000 {
			return 0, fmt.Errorf("durée invraisemblable : %q", cut(s))
		}
		return h*60 + mm, nil
	}
	return 0, fmt.Errorf("durée illisible : %q (minutes, h:mm:ss ou « 1h 2m »)", cut(s))
}

// timeLayouts are the ways webinar tools write an instant; without a zone
// it is Paris time. A date with a slash is day first (French) unless the
// time has AM or PM (American).
var timeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"01/02/2006 03:04:05 PM", "01/02/2006 3:04:05 PM", "1/2/2006 3:04:05 PM", "01/02/2006 03:04 PM", "1/2/2006 3:04 PM",
	"02/01/2006 15:04:05", "2/1/2006 15:04:05", "02/01/2006 15:04", "2/1/2006 15:04", "02/01/2006 à 15:04", "02.01.2006 15:04:05"}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(strings.Replace(s, ", ", " ", 1))
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, date.Paris()); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("heure illisible : %q (par exemple 2026-11-25 14:05:00 ou 25/11/2026 14:05)", cut(s))
}
