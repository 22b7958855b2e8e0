package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/httpkit"
	"vivier/internal/newsletter"
)

// campaignsPage lists the campaigns.
type campaignsPage struct {
	Campaigns []newsletter.Campaign
}

func (s *Server) campaigns(w http.ResponseWriter, r *http.Request) {
	list, err := s.deps.Newsletter.Campaigns(r.Context(), httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "newsletter_campaigns", s.page(r, "Campagnes", campaignsPage{Campaigns: list}))
}

// campaignPage is a campaign's page: its form while it is a draft or
// scheduled, its preview, its progress while sending, its actions.
type campaignPage struct {
	Campaign *newsletter.Campaign
	Lists    []newsletter.List
	Chosen   map[int64]bool
	Progress *newsletter.Progress
	Rate     string // messages per minute, in French
	ETA      string
	Editable bool
	Form     *Form
	Test     *Form
	Send     *Form
	Relay    bool
}

func (s *Server) newCampaign(w http.ResponseWriter, r *http.Request) {
	s.showCampaign(w, r, http.StatusOK, nil, &Form{Values: map[string]string{}}, nil, nil, nil)
}

func (s *Server) showCampaign(w http.ResponseWriter, r *http.Request, status int, c *newsletter.Campaign, f, test, send *Form, chosen map[int64]bool) {
	ctx, actor := r.Context(), httpkit.ActorOf(r)
	lists, err := s.deps.Newsletter.Lists(ctx, actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := campaignPage{Campaign: c, Lists: lists, Chosen: chosen, Form: f, Test: test, Send: send, Editable: c == nil}
	if p.Test == nil {
		p.Test = &Form{Values: map[string]string{}}
	}
	if p.Send == nil {
		p.Send = &Form{Values: map[string]string{}}
	}
	title := "Nouvelle campagne"
	if c != nil {
		title = c.Subject
		p.Editable = c.Status == newsletter.Draft || c.Status == newsletter.Scheduled
		if p.Form == nil {
			p.Form = &Form{Values: map[string]string{"subject": c.Subject, "preheader": c.Preheader, "body_markdown": c.Body}}
		}
		if p.Chosen == nil {
			p.Chosen = map[int64]bool{}
			for _, id := range c.ListIDs {
				p.Chosen[id] = true
			}
		}
		pr, err := s.deps.Newsletter.Progress(ctx, c.ID, actor)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Progress = &pr
		p.Rate = fr.Int(int64(pr.Rate*60 + 0.5))
		if pr.ETA > 0 {
			p.ETA = pr.ETA.Round(time.Second).String()
		}
	}
	if c != nil && c.Status == newsletter.Sending {
		// The progress is live: the browser reloads the page.
		w.Header().Set("Refresh", "5")
	}
	s.render(w, r, status, "newsletter_campaign", s.page(r, title, p))
}

// campaignInput reads the campaign form.
func campaignInput(r *http.Request) (*Form, newsletter.CampaignInput, map[int64]bool) {
	f := formOf(r, "subject", "preheader")
	body := r.PostFormValue("body_markdown")
	f.Values["body_markdown"] = body
	ids, chosen := listIDs(r)
	return f, newsletter.CampaignInput{Subject: f.Value("subject"), Preheader: f.Value("preheader"), Body: body, ListIDs: ids}, chosen
}

func (s *Server) createCampaign(w http.ResponseWriter, r *http.Request) {
	f, in, chosen := campaignInput(r)
	c, err := s.deps.Newsletter.CreateCampaign(r.Context(), in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showCampaign(w, r, status, nil, f, nil, nil, chosen)
	}, fmt.Sprintf("/admin/campagnes/%d?ok=campagne-enregistree", c.ID))
}

func (s *Server) campaignPage(w http.ResponseWriter, r *http.Request) {
	c, ok := recordOf(s, w, r, s.deps.Newsletter.Campaign)
	if !ok {
		return
	}
	s.showCampaign(w, r, http.StatusOK, &c, nil, nil, nil, nil)
}

func (s *Server) updateCampaign(w http.ResponseWriter, r *http.Request) {
	c, ok := recordOf(s, w, r, s.deps.Newsletter.Campaign)
	if !ok {
		return
	}
	f, in, chosen := campaignInput(r)
	err := s.deps.Newsletter.UpdateCampaign(r.Context(), c.ID, in, httpkit.ActorOf(r))
	s.answerForm(w, r, f, err, func(w http.ResponseWriter, r *http.Request, status int, f *Form) {
		s.showCampaign(w, r, status, &c, f, nil, nil, chosen)
	}, fmt.Sprintf("/admin/campagnes/%d?ok=campagne-enregistree", c.ID))
}

// campaignPreview is the email as a reader without the measure gets it,
// for the page's frame: it alone may be framed, by Vivier's own pages, and
// may use the email's inline styles.
func (s *Server) campaignPreview(w http.ResponseWriter, r *http.Request) {
	id, ok := httpkit.PathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	html, _, err := s.deps.Newsletter.Preview(r.Context(), id, httpkit.ActorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(html))
}

func (s *Server) testCampaign(w http.ResponseWriter, r *http.Request) {
	c, ok := recordOf(s, w, r, s.deps.Newsletter.Campaign)
	if !ok {
		return
	}
	test := formOf(r, "addresses")
	addresses := strings.FieldsFunc(test.Value("addresses"), func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == ' ' || r == '\r' })
	_, err := s.deps.Newsletter.TestSend(r.Context(), c.ID, addresses, httpkit.ActorOf(r))
	if err == nil && s.deps.Mail != nil {
		s.deps.Mail.Notify()
	}
	s.answerForm(w, r, test, err, func(w http.ResponseWriter, r *http.Request, status int, test *Form) {
		s.showCampaign(w, r, status, &c, nil, test, nil, nil)
	}, fmt.Sprintf("/admin/campagnes/%d?ok=campagne-essai", c.ID))
}

// sendCampaign sends now, or at the day and time given (Paris time).
func (s *Server) sendCampaign(w http.ResponseWriter, r *http.Request) {
	c, ok := recordOf(s, w, r, s.deps.Newsletter.Campaign)
	if !ok {
		return
	}
	send := formOf(r, "at")
	var at *time.Time
	if v := send.Value("at"); v != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", v, date.Paris())
		if err != nil {
			send.Add("at", "indiquez le jour et l’heure de l’envoi")
			s.showCampaign(w, r, http.StatusUnprocessableEntity, &c, nil, nil, send, nil)
			return
		}
		at = &t
	}
	err := s.deps.Newsletter.Send(r.Context(), c.ID, at, httpkit.ActorOf(r))
	code := "campagne-envoi"
	if at != nil {
		code = "campagne-programmee"
	}
	s.answerForm(w, r, send, err, func(w http.ResponseWriter, r *http.Request, status int, send *Form) {
		s.showCampaign(w, r, status, &c, nil, nil, send, nil)
	}, fmt.Sprintf("/admin/campagnes/%d?ok=%s", c.ID, code))
}

// campaignAction pauses, resumes or cancels a campaign.
func (s *Server) campaignAction(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := httpkit.PathID(r, "id")
		if !ok {
			s.notFound(w, r)
			return
		}
		ctx, actor := r.Context(), httpkit.ActorOf(r)
		var err error
		switch action {
		case "pause":
			err = s.deps.Newsletter.Pause(ctx, id, actor)
		case "reprise":
			err = s.deps.Newsletter.Resume(ctx, id, actor)
		default:
			err = s.deps.Newsletter.Cancel(ctx, id, actor)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		redirect(w, r, "/admin/campagnes/"+strconv.FormatInt(id, 10)+"?ok=campagne-"+action)
	}
}

// dateOf is the day a campaign started sending (or was made).
func dateOf(c newsletter.Campaign) date.Date {
	if c.StartedAt != nil {
		return date.Of(c.StartedAt.In(date.Paris()))
	}
	return date.Of(c.CreatedAt.In(date.Paris()))
}
