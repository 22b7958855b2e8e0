package newsletter

import (
	"bytes"
	"mime"
	"mime/quotedprintable"
	netmail "net/mail"
	"strconv"
	"time"
)

// campaignRun is what every message of a sending campaign shares.
type campaignRun struct {
	id       int64
	rendered *Rendered
	subject  string // encoded for the header
	from     string
	fromAddr string
	domain   string
	base     string
}

func (s *Service) newRun(id int64, r *Rendered) *campaignRun {
	from, _ := netmail.ParseAddress(s.from)
	return &campaignRun{id: id, rendered: r, subject: mime.QEncoding.Encode("utf-8", r.Subject), from: from.String(),
		fromAddr: from.Address, domain: s.domain, base: s.baseURL}
}

// MessageID is the Message-ID of campaign message id created at created:
// the same for every attempt, so a message sent again after a crash is
// recognisably the same message.
func MessageID(campaign, id int64, created time.Time, domain string) string {
	return "vivier-lettre." + strconv.FormatInt(campaign, 10) + "." + strconv.FormatInt(id, 10) + "." +
		strconv.FormatInt(created.UTC().UnixMicro(), 36) + "@" + domain
}

// write composes the whole message m into b: headers, with RFC 8058's
// one-click unsubscribe, and a multipart/alternative body of a real text
// part and the HTML, both quoted-printable.
func (c *campaignRun) write(b *bytes.Buffer, m claimed, token, prefs string) {
	htmlBody, textBody := c.rendered.Body(c.base, Recipient{Tracked: m.tracked, Token: token, Preferences: prefs})
	unsub := c.base + "/lettres/desinscription/" + token
	boundary := "=_vivier_" + strconv.FormatInt(m.id, 36)
	to := (&netmail.Address{Name: m.name, Address: m.email}).String()
	b.WriteString("From: " + c.from + "\r\n")
	b.WriteString("To: " + to + "\r\n")
	b.WriteString("Subject: " + c.subject + "\r\n")
	b.WriteString("Date: " + m.created.UTC().Format(time.RFC1123Z) + "\r\n")
	b.WriteString("Message-ID: <" + MessageID(c.id, m.id, m.created, c.domain) + ">\r\n")
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("List-Id: <lettre-" + strconv.FormatInt(m.list, 10) + "." + c.domain + ">\r\n")
	b.WriteString("List-Unsubscribe: <" + unsub + ">, <mailto:" + c.fromAddr + "?subject=unsubscribe%20" + token + ">\r\n")
	b.WriteString("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
	b.WriteString("Precedence: bulk\r\n")
	b.WriteString("Feedback-ID: " + strconv.FormatInt(c.id, 10) + ":lettre:vivier\r\n")
	b.WriteString("Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n")
	part := func(ctype, body string) {
		b.WriteString("--" + boundary + "\r\nContent-Type: " + ctype + "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		w := quotedprintable.NewWriter(b)
		w.Write([]byte(body))
		w.Close()
		b.WriteString("\r\n")
	}
	part("text/plain", textBody)
	part("text/html", htmlBody)
	b.WriteString("--" + boundary + "--\r\n")
}
