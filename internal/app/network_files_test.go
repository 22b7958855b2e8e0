package app_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

func TestRenewalAndImportOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ta := newTestApp(t, db)
		ctx := context.Background()
		year := date.Today().Year
		if err := ta.Network.SaveSchedule(ctx, networkSchedule(year), access.System); err != nil {
			t.Fatal(err)
		}
		coord := ta.as(t, ta.emails["coordinator"])
		networkMember(t, ta, "Agence Alpha", luhnSIREN("61111111"), "alpha@agence.test", false)
		if status, _ := coord.post(fmt.Sprintf("/reseau/cotisations/%d/renouvellement", year+5), nil); status != http.StatusUnprocessableEntity {
			t.Errorf("a renewal five years ahead: %d", status)
		}
		if status, _ := coord.post(fmt.Sprintf("/reseau/cotisations/%d/renouvellement", year), nil); status != http.StatusSeeOther {
			t.Fatalf("renewal: %d", status)
		}
		msgs, _ := mail.List(ctx, db, "", 0)
		calls := 0
		for _, m := range msgs {
			if strings.HasPrefix(m.Message.Subject, fmt.Sprintf("Appel de cotisation %d", year)) {
				calls++
			}
		}
		if calls != 1 {
			t.Errorf("%d calls for fees", calls)
		}
		// Administrators read the calls on the outbox page.
		if status, body := ta.as(t, ta.emails["admin"]).get("/admin/courriels"); status != http.StatusOK || !strings.Contains(body, fmt.Sprintf("Appel de cotisation %d", year)) {
			t.Errorf("the outbox page: %d", status)
		}
		status, body := coord.get(fmt.Sprintf("/reseau/cotisations/%d", year))
		if status != http.StatusOK || !strings.Contains(body, "<svg") || !strings.Contains(body, "en attente de paiement") || !strings.Contains(body, "COT-") {
			t.Errorf("the fees page: %d\n%s", status, around(body, "t-totals"))
		}
		req, _ := http.NewRequest("GET", ta.srv.URL+fmt.Sprintf("/reseau/cotisations/%d/export?format=csv", year), nil)
		resp, csv := alphaDo(t, coord, req)
		if resp.StatusCode != http.StatusOK || !strings.Contains(csv, "Agence Alpha") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Errorf("the export: %d", resp.StatusCode)
		}

		// The import: a preview, then the confirmation.
		file := fmt.Sprintf("organisation;siren;budget;email_referent;territoire\nAgence Bravo;%s;450 000;bravo@agence.test;dep:42\n", luhnSIREN("62222222"))
		status, body = coord.multipartFile("/reseau/import-adherents", "file", "adherents.csv", []byte("organisation;siren\nX;1\n"))
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "email_referent") {
			t.Errorf("a file without its columns: %d", status)
		}
		status, body = coord.multipartFile("/reseau/import-adherents", "file", "adherents.csv", []byte(file))
		token := regexp.MustCompile(`/reseau/import-adherents/([A-Za-z0-9_-]+)`).FindStringSubmatch(body)
		if status != http.StatusOK || token == nil || !strings.Contains(body, "Agence Bravo") {
			t.Fatalf("preview: %d\n%s", status, around(body, "import-rows"))
		}
		if n := count(t, db, `SELECT count(*) FROM members`); n != 1 {
			t.Errorf("the preview wrote: %d members", n)
		}
		if status, body = coord.post("/reseau/import-adherents/"+token[1], nil); status != http.StatusOK || !strings.Contains(body, "1 adhérents créés") && !strings.Contains(body, "Import terminé") {
			t.Errorf("confirm: %d", status)
		}
		if n := count(t, db, `SELECT count(*) FROM members`); n != 2 {
			t.Errorf("%d members after the import", n)
		}
	})
}
