package newsletter

import (
	"html/template"
	"sync"
)

// emailData is what the email template receives.
type emailData struct {
	Subject, Preheader                    string
	Blocks                                []block
	Pixel, Trap, Unsubscribe, Preferences string
}

// html/template keeps comments out of its output, so the marks around the
// measure (pixel and trap, left out of untracked messages) are written as
// values of this type.
func mark(s string) template.HTML { return template.HTML(s) }

// The email is one centred column of tables (what mail clients lay out
// reliably), its styles inline, its language and role declared for screen
// readers, images with their alternative text, the preheader hidden but
// read first by the inbox, and the trap link invisible to everyone (no
// text, display:none, hidden from assistive technology, out of the tab
// order): only a program that fetches every link of a message follows it.
const emailSource = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f5f7">
<div role="article" aria-roledescription="email" aria-label="{{.Subject}}" lang="fr" style="background-color:#f4f5f7;padding:24px 0">
{{if .Preheader}}<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">{{.Preheader}}</div>{{end}}
{{mark "<!--mesure-->"}}<a href="{{.Trap}}" style="display:none;font-size:0;line-height:0;max-height:0;overflow:hidden;mso-hide:all" aria-hidden="true" tabindex="-1"></a>{{mark "<!--/mesure-->"}}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse">
<tr><td align="center" style="padding:0 12px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:100%;max-width:600px;background-color:#ffffff;border-radius:6px">
<tr><td style="padding:20px 32px;background-color:#1d4e89;border-radius:6px 6px 0 0;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#ffffff">Fédération des agences de développement économique</td></tr>
<tr><td style="padding:24px 32px;font-family:Arial,Helvetica,sans-serif">
{{range .Blocks}}{{if eq .Kind 0}}{{.HTML}}
{{else if eq .Kind 1}}<p style="margin:24px 0;text-align:left"><a href="{{.LinkMarker}}" style="display:inline-block;background-color:#1d4e89;color:#ffffff;padding:12px 22px;border-radius:4px;font-size:16px;font-weight:bold;text-decoration:none">{{.Label}}</a></p>
{{else if eq .Kind 2}}<p style="margin:0 0 16px"><img src="{{.Image}}" alt="{{.Alt}}" width="536" style="display:block;width:100%;max-width:536px;height:auto;border:0"></p>
{{else}}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:0 0 16px;border:1px solid #d0d7de;border-radius:6px">
<tr><td style="padding:16px">
<p style="margin:0 0 4px;font-size:12px;letter-spacing:.05em;text-transform:uppercase;color:#5a5a5a">{{if eq .Kind 3}}Événement{{else}}Publication{{end}}</p>
<p style="margin:0 0 8px;font-size:18px;font-weight:bold;line-height:1.3"><a href="{{.LinkMarker}}" style="color:#1d4e89;text-decoration:underline">{{.Label}}</a></p>
{{if .Detail}}<p style="margin:0;font-size:15px;line-height:1.5;color:#1e1e1e">{{.Detail}}</p>{{end}}
</td></tr></table>
{{end}}{{end}}
</td></tr>
<tr><td style="padding:16px 32px 24px;border-top:1px solid #e3e6ea;font-family:Arial,Helvetica,sans-serif;font-size:13px;line-height:1.5;color:#5a5a5a">
<p style="margin:0 0 8px">Vous recevez cette lettre de la fédération des agences de développement économique.</p>
<p style="margin:0"><a href="{{.Preferences}}" style="color:#1d4e89;text-decoration:underline">Gérer mes abonnements</a> · <a href="{{.Unsubscribe}}" style="color:#1d4e89;text-decoration:underline">Me désabonner</a></p>
</td></tr>
</table>
</td></tr>
</table>
{{mark "<!--mesure-->"}}<img src="{{.Pixel}}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">{{mark "<!--/mesure-->"}}
</div>
</body>
</html>
`

var emailTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("email").Funcs(template.FuncMap{"mark": mark}).Parse(emailSource))
})
