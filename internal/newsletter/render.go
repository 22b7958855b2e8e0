package newsletter

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"

	"vivier/internal/fr"
	"vivier/internal/markdown"
	"vivier/internal/valid"
)

// A campaign's body is Markdown (titles, text, lists, links) plus a small
// set of blocks, one per line:
//
//	::: titre Un titre
//	::: texte Un paragraphe
//	::: bouton Texte du bouton | https://…
//	::: image https://….png | Texte alternatif
//	::: evenement Titre | Date et lieu | https://…
//	::: publication Titre | Résumé | https://…
//
// An event or a publication of the site is named by its number (« :::
// evenement 12 »): the service writes its card in its place when the
// campaign is saved (cards.go).
//
// It is rendered once per campaign into a skeleton whose links, pixel and
// unsubscribe addresses are markers, then per recipient by replacing the
// markers: tracked recipients get the pixel, the hidden trap link and
// redirecting links; the others the plain links and nothing else.
//
// The email's styles are written inline in its template and added to the
// few elements Markdown produces (p, h1–h3, a, ul, ol, li, blockquote,
// img) by their tag: there is no style sheet to inline, so a premailer
// (which parses CSS and the whole DOM for each message) would not earn its
// dependencies.

// block kinds
const (
	blockText = iota
	blockButton
	blockImage
	blockEvent
	blockPublication
)

type block struct {
	Kind                 int
	HTML                 template.HTML // text blocks
	Text                 string        // text blocks, for the text part
	Label, Detail, URL   string        // buttons and cards
	Image, Alt           string        // images
	LinkMarker, LinkText string        // filled when rendered
}

var directive = regexp.MustCompile(`^:::\s*(\S+)\s*(.*)$`)

// parseBody splits a campaign's body into blocks, naming every bad line.
func parseBody(src string) ([]block, error) {
	var e valid.Errors
	var blocks []block
	var text []string
	flush := func() error {
		if strings.TrimSpace(strings.Join(text, "\n")) == "" {
			text = nil
			return nil
		}
		src := strings.Join(text, "\n")
		h, err := markdown.Render(src)
		if err != nil {
			return err
		}
		blocks = append(blocks, block{Kind: blockText, HTML: h})
		text = nil
		return nil
	}
	for i, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		m := directive.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			text = append(text, line)
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		args := strings.Split(m[2], "|")
		for k := range args {
			args[k] = strings.TrimSpace(args[k])
		}
		bad := func(format string, a ...any) {
			e.Add("body_markdown", "ligne %s : %s", fr.Int(int64(i+1)), fmt.Sprintf(format, a...))
		}
		switch strings.ToLower(m[1]) {
		case "titre", "texte":
			// A title or a paragraph: Markdown's own, written as a block
			// for those who compose from the list of blocks.
			if strings.TrimSpace(m[2]) == "" {
				bad("un bloc %s s’écrit « ::: %s … » suivi de son texte", strings.ToLower(m[1]), strings.ToLower(m[1]))
				continue
			}
			if strings.ToLower(m[1]) == "titre" {
				text = append(text, "## "+strings.TrimSpace(m[2]), "")
			} else {
				text = append(text, strings.TrimSpace(m[2]), "")
			}
		case "bouton":
			if len(args) != 2 || args[0] == "" || !webURL(args[1]) {
				bad("un bouton s’écrit « ::: bouton Texte | https://… »")
				continue
			}
			blocks = append(blocks, block{Kind: blockButton, Label: args[0], URL: args[1]})
		case "image":
			if len(args) != 2 || !webURL(args[0]) || args[1] == "" {
				bad("une image s’écrit « ::: image https://… | texte alternatif » (le texte alternatif est obligatoire)")
				continue
			}
			blocks = append(blocks, block{Kind: blockImage, Image: args[0], Alt: args[1]})
		case "evenement", "événement", "publication":
			kind := blockEvent
			if strings.ToLower(m[1]) == "publication" {
				kind = blockPublication
			}
			if len(args) != 3 || args[0] == "" || !webURL(args[2]) {
				bad("une carte s’écrit « ::: %s Titre | détail | https://… », ou « ::: %s 12 » pour la fiche n° 12", strings.ToLower(m[1]), strings.ToLower(m[1]))
				continue
			}
			blocks = append(blocks, block{Kind: kind, Label: args[0], Detail: args[1], URL: args[2]})
		default:
			bad("bloc inconnu %q : les blocs sont titre, texte, bouton, image, evenement et publication", m[1])
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if err := e.Err(); err != nil {
		return nil, err
	}
	return blocks, nil
}

// webURL reports whether s is an absolute http or https address.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 2000 && !strings.ContainsAny(s, " \"<>")
}

// Markers stand for what differs per recipient in the skeleton. They look
// like URLs so that html/template keeps them as they are.
const markerBase = "https://vivier-marque.invalid/"

var markerRe = regexp.MustCompile(`https://vivier-marque\.invalid/([LPTUS])(\d*)`)

// part is a piece of a rendered message: a literal, or a marker.
type part struct {
	lit  string
	kind byte // 0 literal; 'L' link, 'P' pixel, 'T' trap, 'U' unsubscribe, 'S' preferences
	n    int
}

// Rendered is a campaign rendered once: its HTML and text skeletons and
// its links in order (the trap last).
type Rendered struct {
	Subject, Preheader string
	HTML, Text         []part
	HTMLPlain          []part   // the HTML of untracked messages: no pixel, no trap
	Links              []string // visible links, by number
	Trap               int      // the trap link's number
}

var hrefRe = regexp.MustCompile(`<a href="([^"]*)"`)
var anchorRe = regexp.MustCompile(`(?s)<a href="([^"]*)"[^>]*>(.*?)</a>`)

// tagStyles are the inline styles of the elements Markdown writes.
var tagStyles = strings.NewReplacer(
	"<p>", `<p style="margin:0 0 16px;font-size:16px;line-height:1.5;color:#1e1e1e">`,
	"<h1>", `<h1 style="margin:24px 0 12px;font-size:26px;line-height:1.25;color:#1d4e89">`,
	"<h2>", `<h2 style="margin:24px 0 12px;font-size:22px;line-height:1.3;color:#1d4e89">`,
	"<h3>", `<h3 style="margin:20px 0 8px;font-size:18px;line-height:1.3;color:#1e1e1e">`,
	"<ul>", `<ul style="margin:0 0 16px;padding-left:24px;font-size:16px;line-height:1.5;color:#1e1e1e">`,
	"<ol>", `<ol style="margin:0 0 16px;padding-left:24px;font-size:16px;line-height:1.5;color:#1e1e1e">`,
	"<li>", `<li style="margin:0 0 6px">`,
	"<blockquote>", `<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #1d4e89;color:#3a3a3a">`,
	"<a href=", `<a style="color:#1d4e89;text-decoration:underline" href=`,
	"<img ", `<img style="max-width:100%;height:auto;border:0" `,
)

// Render renders a campaign's content once.
func Render(subject, preheader, body string) (*Rendered, error) {
	blocks, err := parseBody(body)
	if err != nil {
		return nil, err
	}
	r := &Rendered{Subject: subject, Preheader: preheader}
	link := func(u string) string {
		for i, l := range r.Links {
			if l == u {
				return markerBase + "L" + strconv.Itoa(i)
			}
		}
		r.Links = append(r.Links, u)
		return markerBase + "L" + strconv.Itoa(len(r.Links)-1)
	}
	var text strings.Builder
	for i := range blocks {
		b := &blocks[i]
		switch b.Kind {
		case blockText:
			h := string(b.HTML)
			// Links to the web are counted; mailto ones stay as they are.
			h = hrefRe.ReplaceAllStringFunc(h, func(m string) string {
				u := html.UnescapeString(hrefRe.FindStringSubmatch(m)[1])
				if !webURL(u) {
					return m
				}
				return `<a href="` + link(u) + `"`
			})
			b.Text = htmlText(h)
			b.HTML = template.HTML(tagStyles.Replace(h))
			text.WriteString(b.Text + "\n\n")
		case blockButton, blockEvent, blockPublication:
			b.LinkMarker = link(b.URL)
			kind := map[int]string{blockButton: "", blockEvent: "Événement : ", blockPublication: "Publication : "}[b.Kind]
			text.WriteString(kind + b.Label)
			if b.Detail != "" {
				text.WriteString(" — " + b.Detail)
			}
			text.WriteString("\n" + b.LinkMarker + "\n\n")
		case blockImage:
			text.WriteString("[Image : " + b.Alt + "]\n\n")
		}
	}
	r.Trap = len(r.Links)
	var buf bytes.Buffer
	if err := emailTemplate().Execute(&buf, emailData{Subject: subject, Preheader: preheader, Blocks: blocks,
		Pixel: markerBase + "P", Trap: markerBase + "T", Unsubscribe: markerBase + "U", Preferences: markerBase + "S"}); err != nil {
		return nil, err
	}
	r.HTML = split(buf.String())
	r.HTMLPlain = split(untracked.ReplaceAllString(buf.String(), ""))
	text.WriteString("—\nVous recevez cette lettre de la fédération des agences de développement économique.\n" +
		"Vos préférences : " + markerBase + "S\nVous désabonner : " + markerBase + "U\n")
	r.Text = split(text.String())
	return r, nil
}

// LinkList is the campaign's links as stored: the visible ones, then the trap.
func (r *Rendered) LinkList(trapURL string) []string {
	return append(append([]string(nil), r.Links...), trapURL)
}

func split(s string) []part {
	var out []part
	last := 0
	for _, m := range markerRe.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > last {
			out = append(out, part{lit: s[last:m[0]]})
		}
		n, _ := strconv.Atoi(s[m[4]:m[5]])
		out = append(out, part{kind: s[m[2]], n: n})
		last = m[1]
	}
	if last < len(s) {
		out = append(out, part{lit: s[last:]})
	}
	return out
}

var strict = sync.OnceValue(bluemonday.StrictPolicy)

var blockEnds = strings.NewReplacer("</p>", "</p>\n\n", "<br>", "\n", "<br/>", "\n", "</li>", "</li>\n", "<li>", "<li>• ",
	"</h1>", "</h1>\n\n", "</h2>", "</h2>\n\n", "</h3>", "</h3>\n\n", "</tr>", "</tr>\n", "</blockquote>", "</blockquote>\n\n")

var blankLines = regexp.MustCompile(`\n{3,}`)

// htmlText is the text of rendered Markdown, links written « label (URL) ».
func htmlText(h string) string {
	h = anchorRe.ReplaceAllString(h, `$2 ($1)`)
	spaced := blockEnds.Replace(strings.ReplaceAll(h, ">\n<", "><"))
	t := html.UnescapeString(strict().Sanitize(spaced))
	return strings.TrimSpace(blankLines.ReplaceAllString(t, "\n\n"))
}

// Recipient is what differs per message.
type Recipient struct {
	Tracked     bool
	Token       string // the message's token ("" for a test message)
	Preferences string // the subscriber's preferences token
}

// urls writes the address of part p for rc.
func (r *Rendered) url(base string, rc Recipient, p part) string {
	switch p.kind {
	case 'L':
		if rc.Tracked && rc.Token != "" {
			return base + "/lettres/c/" + rc.Token + "/" + strconv.Itoa(p.n)
		}
		return r.Links[p.n]
	case 'T':
		return base + "/lettres/c/" + rc.Token + "/" + strconv.Itoa(r.Trap)
	case 'P':
		return base + "/lettres/o/" + rc.Token
	case 'U':
		if rc.Token == "" {
			return base + "/lettres"
		}
		return base + "/lettres/desinscription/" + rc.Token
	case 'S':
		if rc.Preferences == "" {
			return base + "/lettres"
		}
		return base + "/lettres/preferences/" + rc.Preferences
	}
	return ""
}

// write writes parts for rc into b. The pixel and the trap link exist only
// for tracked recipients: their markers stand in whole tags that are left
// out otherwise.
func (r *Rendered) write(b *strings.Builder, base string, rc Recipient, parts []part, escape bool) {
	for _, p := range parts {
		if p.kind == 0 {
			b.WriteString(p.lit)
			continue
		}
		u := r.url(base, rc, p)
		if escape {
			u = html.EscapeString(u)
		}
		b.WriteString(u)
	}
}

// Body returns the HTML and text of the message for rc.
func (r *Rendered) Body(base string, rc Recipient) (htmlBody, textBody string) {
	var h, t strings.Builder
	h.Grow(8 << 10)
	skeleton := r.HTML
	if !rc.Tracked || rc.Token == "" {
		skeleton = r.HTMLPlain
	}
	r.write(&h, base, rc, skeleton, true)
	r.write(&t, base, rc, r.Text, false)
	return h.String(), t.String()
}

// untracked finds the pixel and the trap link, which untracked messages
// leave out.
var untracked = regexp.MustCompile(`(?s)<!--mesure-->.*?<!--/mesure-->`)

// validSubject checks a campaign's subject and preheader.
func validSubject(e *valid.Errors, subject, preheader string) {
	switch {
	case strings.TrimSpace(subject) == "":
		e.Add("subject", "donnez un objet à la lettre")
	case utf8.RuneCountInString(subject) > 200 || !cleanText(subject) || strings.ContainsAny(subject, "\r\n\t"):
		e.Add("subject", "l’objet doit tenir en 200 caractères, sur une ligne")
	}
	if utf8.RuneCountInString(preheader) > 200 || !cleanText(preheader) || strings.ContainsAny(preheader, "\r\n\t") {
		e.Add("preheader", "le texte d’aperçu doit tenir en 200 caractères, sur une ligne")
	}
}
