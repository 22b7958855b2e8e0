package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestUserCreatePrintsAnInvitationLink(t *testing.T) {
	{
		source := filepath.Join(t.TempDir(), "vivier.db")
		ctx := context.Background()
		code, out, errs := run(t, ctx, "user", "create", "--db", source, "--email", "Anne@Federation.fr", "--name", "Anne Admin", "--base-url", "https://vivier.example.org")
		if code != 0 || !strings.Contains(out, "https://vivier.example.org/invitation/") || !strings.Contains(out, "administrateur") {
			t.Fatalf("exit %d, out %q, err %q", code, out, errs)
		}
		code, _, errs = run(t, ctx, "user", "create", "--db", source, "--email", "anne@federation.fr", "--name", "Anne")
		if code != 2 || !strings.Contains(errs, "--email: Un compte existe déjà") {
			t.Fatalf("duplicate: exit %d, %q", code, errs)
		}
		code, _, errs = run(t, ctx, "user", "create", "--db", source, "--email", "x@y.fr", "--name", "X", "--role", "requester")
		if code != 2 || !strings.Contains(errs, "--organisation") {
			t.Fatalf("requester without organisation: exit %d, %q", code, errs)
		}
	}
}
