package mission

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/mail"
	"vivier/internal/need"
	"vivier/internal/store"
)

// submitConfirmed submits in through the public form's service as actor
// and confirms it by the link emailed to its contact, as the mayor would.
func submitConfirmed(t *testing.T, ctx context.Context, db *store.DB, needs *need.Service, in need.Input, actor access.Actor) (need.Need, error) {
	t.Helper()
	if _, err := needs.Submit(ctx, in, actor); err != nil {
		return need.Need{}, err
	}
	list, err := mail.List(ctx, db, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`/confirmer-besoin/([A-Z0-9]+)`)
	for _, e := range list {
		if strings.Contains(e.Message.To, strings.ToLower(in.Contact.Email)) {
			if m := re.FindStringSubmatch(e.Message.Text); m != nil {
				return needs.Confirm(ctx, m[1], actor)
			}
		}
	}
	t.Fatalf("no confirmation link emailed to %s", in.Contact.Email)
	return need.Need{}, nil
}
