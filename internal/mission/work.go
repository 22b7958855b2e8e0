package mission

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Move changes a mission's status to the next stage. Skipping a stage or
// going back is refused with a message saying which stage comes next;
// starting needs the employer's agreement when the expert is en_poste.
// Moving to the current stage again (a double click) does nothing.
// matching: the expert's figures changed (ActiveMissions, Commitments, PastMissionsBySizeClass)
func (s *Service) Move(ctx context.Context, id int64, to Status, actor access.Actor) error {
	if _, err := staffOrExpertMission(ctx, s.db, id, actor); err != nil {
		return err
	}
	if to.rank() < 0 {
		return fieldErr("status", "statut %s inconnu", fr.Quote(string(to)))
	}
	return s.db.Tx(ctx, thenTouch(ctx, func() int64 { return id }, func(tx *sql.Tx) error {
		m, err := getMission(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.Status == to {
			return nil
		}
		if to == Closed && !actor.Staff() {
			return access.Deny("seule la coordination clôture une mission, après avoir vérifié les livrables")
		}
		if next := m.Status.Next(); to != next {
			if next == "" {
				return fieldErr("status", "la mission est clôturée : son statut ne change plus")
			}
			return fieldErr("status", "une mission « %s » passe d’abord à « %s », pas à « %s »", m.Status.Label(), next.Label(), to.Label())
		}
		if why := m.Blocked(to); why != "" {
			return fieldErr("status", "%s", why)
		}
		now := s.now()
		col := map[Status]string{InProgress: "started_at", Delivered: "delivered_at", Closed: "closed_at"}[to]
		if _, err := tx.ExecContext(ctx, `UPDATE missions SET status = $1, `+col+` = $2, updated_at = $2 WHERE id = $3`, string(to), now, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.status", Subject: subject("mission", id),
			Details: map[string]any{"from": string(m.Status), "to": string(to)}}); err != nil {
			return err
		}
		return s.tellMove(ctx, tx, m, to)
	}))
}

func (s *Service) tellMove(ctx context.Context, tx *sql.Tx, m Mission, to Status) error {
	n := notice{Subject: "Mission « " + m.NeedTitle + " » : " + to.Label()}
	ex, err := expertPerson(ctx, tx, m.ExpertID)
	if err != nil {
		return err
	}
	key := subject("mission-"+string(to), m.ID)
	if err := s.notify(ctx, tx, ex.Email, ex.Name, key+":expert", n, idPath("/missions", m.ID)); err != nil {
		return err
	}
	if to == Delivered {
		coord, err := coordinatorOf(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		if err := s.notify(ctx, tx, coord.Email, coord.Name, key+":coordinator", n, idPath("/missions", m.ID)); err != nil {
			return err
		}
		n.Lines = []string{"L’expert a livré la mission. Donnez votre avis (une note de 1 à 5 et un commentaire) : il aide les prochaines collectivités."}
		n.Action = "Donner mon avis"
	}
	return s.tellRequesters(ctx, tx, m.ID, key, n)
}

// Day is a line of days logged on a mission.
type Day struct {
	Day       date.Date
	HalfDays  int
	Note      string
	CreatedAt time.Time
}

// Days returns the days logged on a mission, by date.
func (s *Service) Days(ctx context.Context, id int64, actor access.Actor) ([]Day, error) {
	if _, err := visibleMission(ctx, s.db, id, actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT day, half_days, note, created_at FROM mission_days WHERE mission_id = $1 ORDER BY day`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Day
	for rows.Next() {
		var d Day
		if err := rows.Scan(&d.Day, &d.HalfDays, &d.Note, &d.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Days returns the days of the line (0.5 or 1).
func (d Day) Days() float64 { return float64(d.HalfDays) / 2 }

// LogDay records days spent by the expert on the mission: halfDays 1 (½
// day) or 2 (a day) on one date, with a note. The date must lie between
// the mission's start and today, the mission be in progress; a date
// already logged is refused (a double submit writes nothing twice).
func (s *Service) LogDay(ctx context.Context, id int64, day date.Date, halfDays int, note string, actor access.Actor) error {
	if _, err := expertMission(ctx, s.db, id, actor); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	var errs = fieldErrs{}
	if day.IsZero() {
		errs.add("day", "saisissez la date du jour travaillé, au format JJ/MM/AAAA")
	}
	if halfDays != 1 && halfDays != 2 {
		errs.add("days", "indiquez une demi-journée ou une journée")
	}
	if len(note) > 2000 {
		errs.add("note", "la note est trop longue (2 000 caractères au plus)")
	}
	if err := errs.err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, err := getMission(ctx, tx, id)
		if err != nil {
			return err
		}
		switch {
		case m.Status != InProgress:
			return fieldErr("day", "la mission est « %s » : on ne saisit des jours que sur une mission en cours", m.Status.Label())
		case day.Before(m.Start):
			return fieldErr("day", "la mission commence le %s : on ne saisit pas de jour avant", fr.Date(m.Start))
		case day.After(s.today()):
			return fieldErr("day", "le %s n’est pas encore passé : saisissez les jours déjà travaillés", fr.Date(day))
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO mission_days (mission_id, day, half_days, note, created_at) VALUES ($1, $2, $3, $4, $5)`,
			id, day, halfDays, note, now); err != nil {
			if store.IsUniqueViolation(err) {
				return fieldErr("day", "des jours sont déjà saisis le %s pour cette mission", fr.Date(day))
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.day_logged", Subject: subject("mission", id)})
	})
}

type fieldErrs struct{ list []error }

func (f *fieldErrs) add(field, format string, args ...any) {
	f.list = append(f.list, fieldErr(field, format, args...))
}

func (f *fieldErrs) err() error {
	if len(f.list) == 0 {
		return nil
	}
	var all []error
	all = append(all, f.list...)
	return joinFields(all)
}

// MaxFileSize bounds a deliverable.
const MaxFileSize = 20 << 20

// File is a deliverable (Content only from File).
type File struct {
	ID         int64
	MissionID  int64
	Filename   string
	Kind       string
	Size       int
	UploadedAt time.Time
	Content    []byte
}

// ContentType is the MIME type the file is served with.
func (f File) ContentType() string {
	return map[string]string{
		"pdf":  "application/pdf",
		"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"odt":  "application/vnd.oasis.opendocument.text",
	}[f.Kind]
}

// fileKind checks a deliverable's extension against its first bytes: a PDF
// starts with %PDF-, DOCX, XLSX and ODT are ZIP files (PK\x03\x04) whose
// entries name their kind (word/, xl/, the ODT mimetype).
func fileKind(name string, content []byte) (string, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	zip := bytes.HasPrefix(content, []byte("PK\x03\x04"))
	head := content
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	ok := false
	switch ext {
	case "pdf":
		ok = bytes.HasPrefix(content, []byte("%PDF-"))
	case "docx":
		ok = zip && bytes.Contains(head, []byte("word/"))
	case "xlsx":
		ok = zip && bytes.Contains(head, []byte("xl/"))
	case "odt":
		ok = zip && bytes.Contains(head, []byte("application/vnd.oasis.opendocument.text"))
	default:
		return "", fieldErr("file", "format %s refusé : déposez un PDF, DOCX, XLSX ou ODT", fr.Quote("."+ext))
	}
	if !ok {
		return "", fieldErr("file", "le contenu de %s n’est pas un fichier %s valide", fr.Quote(name), strings.ToUpper(ext))
	}
	return ext, nil
}

// AddFile stores a deliverable after checking its type and size. The same
// content uploaded twice is stored once.
func (s *Service) AddFile(ctx context.Context, id int64, name string, content []byte, actor access.Actor) error {
	if _, err := staffOrExpertMission(ctx, s.db, id, actor); err != nil {
		return err
	}
	name = filepath.Base(strings.ReplaceAll(strings.TrimSpace(name), "\\", "/"))
	switch {
	case len(content) == 0:
		return fieldErr("file", "choisissez un fichier à déposer")
	case len(content) > MaxFileSize:
		return fieldErr("file", "le fichier dépasse 20 Mo")
	}
	kind, err := fileKind(name, content)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(content)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, err := getMission(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.Status == Closed {
			return fieldErr("file", "la mission est clôturée : on n’y dépose plus de livrable")
		}
		now := s.now()
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		var fid int64
		err = tx.QueryRowContext(ctx, `INSERT INTO mission_files (mission_id, filename, kind, size, sha256, content, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (mission_id, sha256) DO NOTHING RETURNING id`,
			id, name, kind, len(content), hex.EncodeToString(sum[:]), content, by, now).Scan(&fid)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.file_added", Subject: subject("mission", id),
			Details: map[string]any{"file": fid, "kind": kind}}); err != nil {
			return err
		}
		return s.tellRequesters(ctx, tx, id, subject("mission-file", fid),
			notice{Subject: "Nouveau livrable pour « " + m.NeedTitle + " » : " + name, Action: "Voir la mission"})
	})
}

// Files lists a mission's deliverables, without their content.
func (s *Service) Files(ctx context.Context, id int64, actor access.Actor) ([]File, error) {
	if _, err := visibleMission(ctx, s.db, id, actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, mission_id, filename, kind, size, uploaded_at FROM mission_files WHERE mission_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []File
	for rows.Next() {
		var f File
		if err := rows.Scan(&f.ID, &f.MissionID, &f.Filename, &f.Kind, &f.Size, &f.UploadedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// File returns a deliverable with its content.
func (s *Service) File(ctx context.Context, fileID int64, actor access.Actor) (File, error) {
	var f File
	err := s.db.QueryRowContext(ctx, `SELECT id, mission_id, filename, kind, size, uploaded_at, content FROM mission_files WHERE id = $1`, fileID).
		Scan(&f.ID, &f.MissionID, &f.Filename, &f.Kind, &f.Size, &f.UploadedAt, &f.Content)
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, store.NotFound("file %d", fileID)
	}
	if err != nil {
		return File{}, err
	}
	if _, err := visibleMission(ctx, s.db, f.MissionID, actor); err != nil {
		return File{}, store.NotFound("file %d", fileID)
	}
	return f, nil
}

// Milestone is a dated step of a mission.
type Milestone struct {
	ID     int64
	Title  string
	Due    date.Date
	DoneAt *time.Time
}

// Milestones lists a mission's milestones by due date.
func (s *Service) Milestones(ctx context.Context, id int64, actor access.Actor) ([]Milestone, error) {
	if _, err := visibleMission(ctx, s.db, id, actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, due_date, done_at FROM mission_milestones WHERE mission_id = $1 ORDER BY due_date, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Milestone
	for rows.Next() {
		var m Milestone
		var done sql.NullTime
		if err := rows.Scan(&m.ID, &m.Title, &m.Due, &done); err != nil {
			return nil, err
		}
		if done.Valid {
			t := done.Time.UTC()
			m.DoneAt = &t
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddMilestone adds a milestone; the same title and date twice is one.
func (s *Service) AddMilestone(ctx context.Context, id int64, title string, due date.Date, actor access.Actor) error {
	if _, err := staffOrExpertMission(ctx, s.db, id, actor); err != nil {
		return err
	}
	title = strings.TrimSpace(title)
	errs := fieldErrs{}
	if title == "" || len(title) > 200 {
		errs.add("title", "donnez un intitulé au jalon (200 caractères au plus)")
	}
	if due.IsZero() {
		errs.add("due", "saisissez la date prévue du jalon")
	}
	if err := errs.err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := getMission(ctx, tx, id); err != nil {
			return err
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO mission_milestones (mission_id, title, due_date, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (mission_id, title, due_date) DO NOTHING`, id, title, due, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // the same milestone again: a double submit adds nothing
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.milestone_added", Subject: subject("mission", id)})
	})
}

// CompleteMilestone marks a milestone of the mission done (once).
func (s *Service) CompleteMilestone(ctx context.Context, id, milestoneID int64, actor access.Actor) error {
	if _, err := staffOrExpertMission(ctx, s.db, id, actor); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE mission_milestones SET done_at = $1 WHERE id = $2 AND mission_id = $3 AND done_at IS NULL`, now, milestoneID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// Nothing changed: no such milestone on this mission, or one
			// already done (a double click, which is no error).
			var done bool
			err := tx.QueryRowContext(ctx, `SELECT done_at IS NOT NULL FROM mission_milestones WHERE id = $1 AND mission_id = $2`, milestoneID, id).Scan(&done)
			if errors.Is(err, sql.ErrNoRows) {
				return fieldErr("milestone", "ce jalon n’existe pas sur cette mission")
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.milestone_done", Subject: subject("mission", id)})
	})
}

// SetReport saves the expert's closing report (editable until closure).
func (s *Service) SetReport(ctx context.Context, id int64, text string, actor access.Actor) error {
	if _, err := expertMission(ctx, s.db, id, actor); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if text == "" || len(text) > 20000 {
		return fieldErr("report", "rédigez le rapport de clôture (20 000 caractères au plus)")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, err := getMission(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.Status == Closed || m.Status == Planned {
			return fieldErr("report", "le rapport de clôture se rédige pendant la mission, pas quand elle est « %s »", m.Status.Label())
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE missions SET closing_report = $1, updated_at = $2 WHERE id = $3`, text, now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.report", Subject: subject("mission", id)})
	})
}

// Review is a requester's evaluation of a mission.
type Review struct {
	OrgID     int64
	OrgName   string
	Rating    int
	Comment   string
	CreatedAt time.Time
}

// Reviews lists the reviews of a mission.
func (s *Service) Reviews(ctx context.Context, id int64, actor access.Actor) ([]Review, error) {
	if _, err := visibleMission(ctx, s.db, id, actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.organisation_id, o.name, r.rating, r.comment, r.created_at FROM mission_reviews r
		JOIN organisations o ON o.id = r.organisation_id WHERE r.mission_id = $1 ORDER BY r.created_at`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		var r Review
		if err := rows.Scan(&r.OrgID, &r.OrgName, &r.Rating, &r.Comment, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddReview records the review of the actor's organisation, a requester
// served by the mission, once it is delivered or closed (the system
// reviews for the mission's first organisation). A second review by the
// same organisation is refused with ErrAnswered.
// matching: the expert's figures changed (ReviewCount, ReviewSum)
func (s *Service) AddReview(ctx context.Context, id int64, rating int, comment string, actor access.Actor) error {
	m, err := visibleMission(ctx, s.db, id, actor)
	if err != nil {
		return err
	}
	orgID := actor.OrganisationID
	switch {
	case actor.IsSystem():
		orgID = m.OrgID
	case !actor.Is(access.Requester):
		return access.Deny("seuls les demandeurs servis par la mission l’évaluent")
	}
	comment = strings.TrimSpace(comment)
	var errs valid.Errors
	if rating < 1 || rating > 5 {
		errs.Add("rating", "choisissez une note de 1 à 5")
	}
	if len(comment) > 4000 {
		errs.Add("comment", "le commentaire est trop long (4 000 caractères au plus)")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, thenTouch(ctx, func() int64 { return id }, func(tx *sql.Tx) error {
		m, err := getMission(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.Status != Delivered && m.Status != Closed {
			return fieldErr("rating", "la mission est « %s » : on l’évalue une fois livrée", m.Status.Label())
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mission_needs WHERE mission_id = $1 AND organisation_id = $2`, id, orgID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return store.NotFound("mission %d for organisation %d", id, orgID)
		}
		now := s.now()
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO mission_reviews (mission_id, organisation_id, user_id, rating, comment, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, orgID, by, rating, comment, now); err != nil {
			if store.IsUniqueViolation(err) {
				return ErrAnswered
			}
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.reviewed", Subject: subject("mission", id),
			Details: map[string]any{"rating": rating}}); err != nil {
			return err
		}
		note := notice{Subject: "Avis sur la mission « " + m.NeedTitle + " » : " + itoa(rating) + "/5"}
		if comment != "" {
			note.Lines = []string{"Commentaire : " + comment}
		}
		ex, err := expertPerson(ctx, tx, m.ExpertID)
		if err != nil {
			return err
		}
		if err := s.notify(ctx, tx, ex.Email, ex.Name, subject("review", id)+":"+itoa(int(orgID)), note, idPath("/missions", id)); err != nil {
			return err
		}
		coord, err := coordinatorOf(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, coord.Email, coord.Name, subject("review-coordinator", id)+":"+itoa(int(orgID)), note, idPath("/missions", id))
	}))
}

// DaysText is the days of the line, in French.
func (d Day) DaysText() string { return DaysText(d.HalfDays) }

// Plan changes the dates and planned days of a mission not started yet.
// matching: the expert's figures changed (Commitments)
func (s *Service) Plan(ctx context.Context, id int64, start, end date.Date, plannedDays int, actor access.Actor) error {
	if _, err := staffMission(ctx, s.db, id, actor); err != nil {
		return err
	}
	errs := fieldErrs{}
	if start.IsZero() {
		errs.add("start", "saisissez la date de début")
	}
	if end.IsZero() {
		errs.add("end", "saisissez la date de fin")
	} else if !start.IsZero() && end.Before(start) {
		errs.add("end", "la fin (%s) précède le début (%s)", fr.Date(end), fr.Date(start))
	}
	if plannedDays < 1 || plannedDays > 400 {
		errs.add("planned_days", "saisissez un nombre de jours prévus entre 1 et 400")
	}
	if err := errs.err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, thenTouch(ctx, func() int64 { return id }, func(tx *sql.Tx) error {
		m, err := getMission(ctx, tx, id)
		if err != nil {
			return err
		}
		if m.Status != Planned {
			return fieldErr("start", "la mission est « %s » : son calendrier ne change plus", m.Status.Label())
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE missions SET start_date = $1, end_date = $2, planned_days = $3, updated_at = $4 WHERE id = $5`,
			start, end, plannedDays, now, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "mission.planned", Subject: subject("mission", id)}); err != nil {
			return err
		}
		ex, err := expertPerson(ctx, tx, m.ExpertID)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, ex.Email, ex.Name, "mission-plan:"+itoa(int(id))+":"+start.String()+":"+end.String()+":"+itoa(plannedDays),
			notice{Subject: "Calendrier de la mission « " + m.NeedTitle + " »", Lines: []string{window(start, end) + ", " + itoa(plannedDays) + " jours prévus."}},
			idPath("/missions", id))
	}))
}
