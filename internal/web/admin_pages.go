package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/httpkit"
	"vivier/internal/mail"
)

// The staff's pages over accounts: the user list with invitations,
// suspension and erasure, the audit log, and the outbox of emails.

type usersPage struct {
	Users         []account.User
	Filter        account.ListFilter
	Roles         []access.Role
	Statuses      []account.Status
	Organisations []account.Organisation
	Form          *Form
	Self          int64
	IsAdmin       bool
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	v := httpkit.VisitorOf(r)
	q := r.URL.Query()
	filter := account.ListFilter{Role: access.Role(q.Get("role")), Status: account.Status(q.Get("statut")), Query: q.Get("q")}
	users, err := s.deps.Accounts.List(r.Context(), filter, v.Actor())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	orgs, err := s.deps.Accounts.Organisations(r.Context(), v.Actor())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "users", s.page(r, "Utilisateurs", usersPage{
		Users: users, Filter: filter, Roles: access.Roles(), Organisations: orgs, Form: f, Self: v.User.ID,
		Statuses: []account.Status{account.Invited, account.Active, account.Suspended, account.Erased},
		IsAdmin:  v.User.Role == access.Admin,
	}))
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	s.showUsers(w, r, http.StatusOK, &Form{})
}

func (s *Server) inviteUser(w http.ResponseWriter, r *http.Request) {
	v := httpkit.VisitorOf(r)
	f := formOf(r, "email", "name", "role", "organisation")
	org, _ := strconv.ParseInt(f.Value("organisation"), 10, 64)
	_, err := s.deps.Accounts.Invite(r.Context(), account.NewUser{
		Email: f.Value("email"), Name: f.Value("name"), Role: access.Role(f.Value("role")), OrganisationID: org,
	}, v.Actor())
	if f.Fail(err) {
		s.showUsers(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.wakeMail()
	redirect(w, r, "/admin/utilisateurs?ok=invited")
}

// userAction runs one of the staff's actions on an account and comes back
// to the list with its confirmation.
func (s *Server) userAction(ok string, act func(r *http.Request, id int64, actor access.Actor) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, found := httpkit.PathID(r, "id")
		if !found {
			s.notFound(w, r)
			return
		}
		err := act(r, id, httpkit.ActorOf(r))
		f := &Form{}
		switch {
		case err == nil:
			s.wakeMail()
			redirect(w, r, "/admin/utilisateurs?ok="+ok)
		case f.Fail(err):
			s.showUsers(w, r, http.StatusUnprocessableEntity, f)
		default:
			s.fail(w, r, err)
		}
	}
}

func (s *Server) suspendUser() http.HandlerFunc {
	return s.userAction("suspended", func(r *http.Request, id int64, actor access.Actor) error {
		return s.deps.Accounts.SetStatus(r.Context(), id, account.Suspended, actor)
	})
}

func (s *Server) reactivateUser() http.HandlerFunc {
	return s.userAction("reactivated", func(r *http.Request, id int64, actor access.Actor) error {
		return s.deps.Accounts.SetStatus(r.Context(), id, account.Active, actor)
	})
}

func (s *Server) resendInvitation() http.HandlerFunc {
	return s.userAction("resent", func(r *http.Request, id int64, actor access.Actor) error {
		return s.deps.Accounts.ResendInvitation(r.Context(), id, actor)
	})
}

func (s *Server) eraseUser() http.HandlerFunc {
	return s.userAction("erased", func(r *http.Request, id int64, actor access.Actor) error {
		return s.deps.Accounts.Erase(r.Context(), id, actor)
	})
}

func (s *Server) resetUserMFA() http.HandlerFunc {
	return s.userAction("mfa-reset", func(r *http.Request, id int64, actor access.Actor) error {
		return s.deps.Accounts.ResetSecondFactor(r.Context(), id, actor)
	})
}

type auditPage struct {
	Lines   []audit.Line
	Total   int
	Actions []string
	Action  string
	UserID  int64
	Name    string // a person's name, or part of it
	From    string
	To      string
	Page    int
	Pages   int
}

const auditPageSize = 50

// auditLog shows the audit log to staff, filtered by person, action and
// period, newest first.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := auditPage{Action: q.Get("action"), Name: strings.TrimSpace(q.Get("nom")), From: q.Get("du"), To: q.Get("au")}
	d.UserID, _ = strconv.ParseInt(q.Get("personne"), 10, 64)
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = max(d.Page, 1)
	f := audit.Filter{UserID: d.UserID, Name: d.Name, Action: d.Action, Limit: auditPageSize, Offset: (d.Page - 1) * auditPageSize}
	if day, err := date.Parse(d.From); err == nil {
		f.From = time.Date(day.Year, day.Month, day.Day, 0, 0, 0, 0, date.Paris())
	}
	if day, err := date.Parse(d.To); err == nil {
		f.To = time.Date(day.Year, day.Month, day.Day, 0, 0, 0, 0, date.Paris()).AddDate(0, 0, 1)
	}
	var err error
	if d.Lines, d.Total, err = s.deps.Audit.List(r.Context(), f, httpkit.ActorOf(r)); err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.Actions, err = s.deps.Audit.Actions(r.Context(), httpkit.ActorOf(r)); err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Pages = (d.Total + auditPageSize - 1) / auditPageSize
	s.render(w, r, http.StatusOK, "audit", s.page(r, "Journal d’audit", d))
}

type outboxPage struct {
	Messages              []mail.Entry
	Pending, Sent, Failed int // counts by status
}

// outbox shows administrators the latest emails and their state: with no
// SMTP server configured, this is where the demo's emails can be read.
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	if s.deps.Mail == nil {
		s.notFound(w, r)
		return
	}
	list, err := s.deps.Mail.Outbox(r.Context(), mail.Status(r.URL.Query().Get("statut")), 100, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.deps.Mail.Counts(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "outbox", s.page(r, "Courriels envoyés", outboxPage{Messages: list,
		Pending: counts[mail.Pending], Sent: counts[mail.Sent], Failed: counts[mail.Failed]}))
}
