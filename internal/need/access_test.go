package need_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/need"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestAccess calls every method of the need service as every actor on a
// need of organisation A and one of organisation B: staff see and change
// every need, a requester sees their organisation's and submits needs in
// its name only, anyone submits through the public form, nobody else sees
// any.
func TestAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := at.NewWorld(t, db)
		s := w.Needs
		ids := map[string]int64{}
		submitted := 0
		fresh := func(t *testing.T, r string) { ids[r] = w.Need(t, r, "", need.Mission, need.Submitted) }
		// listed is « not found » unless the record's need is in the list.
		listed := func(r string, list []need.Need, err error) error {
			if err != nil {
				return err
			}
			for _, n := range list {
				if n.ID == ids[r] {
					return nil
				}
			}
			return store.NotFound("need %s in the list", r)
		}
		file := func() *strings.Reader {
			return strings.NewReader(fmt.Sprintf(`[{"title": "Zone d’activités", "commune": "01004", "kind": "mission",
				"skills": [{"code": "entreprises.foncier", "min_level": 3, "required": true}],
				"start": %q, "end": %q, "days_per_week": 2, "format": "onsite"}]`, w.Today, w.Today.AddDays(27)))
		}

		// Who sees a need: staff and the requesters of its organisation.
		read := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnRequester)
		// Staff only, on a need its requesters see: refused to them.
		staffOn := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.Forbidden, at.ROwnRequester)
		// Staff only, on no need in particular.
		staffOnly := at.All(at.Forbidden).Set(at.OK, at.Staff...)

		ops := []at.Op{
			{Name: "Get", OnRecords: true, Prepare: fresh, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Get(ctx, ids[r], a)
				return err
			}},
			{Name: "History", OnRecords: true, Prepare: fresh, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.History(ctx, ids[r], a)
				return err
			}},
			{Name: "List", OnRecords: true, Prepare: fresh,
				Want: at.All(at.Forbidden).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnRequester).Set(at.NotFound, at.ROtherRequester),
				Do: func(ctx context.Context, a access.Actor, r string) error {
					var all []need.Need
					for p := 1; ; p++ {
						page, err := s.List(ctx, need.Filter{Page: p, PageSize: need.MaxPageSize}, a)
						if err != nil {
							return err
						}
						all = append(all, page.Needs...)
						if p*page.PageSize >= page.Total {
							break
						}
					}
					return listed(r, all, nil)
				}},
			{Name: "Nearby", OnRecords: true, Prepare: fresh, Want: staffOn, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Nearby(ctx, ids[r], a)
				return err
			}},
			{Name: "Preview", Want: staffOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, errs, err := s.Preview(ctx, file(), 0, a)
				if err == nil && len(errs) > 0 {
					return errs
				}
				return err
			}},
			{Name: "Import", Write: true, Want: staffOnly, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Import(ctx, file(), 0, a)
				return err
			}},
			// A requester asks in the name of their own organisation, whatever
			// the input says: here organisation B's SIREN.
			{Name: "Create", Write: true, Want: at.All(at.Forbidden).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnRequester, at.ROtherRequester),
				Do: func(ctx context.Context, a access.Actor, _ string) error {
					in := w.NeedInput("B", "", need.Mission)
					n, err := s.Create(ctx, in, a)
					if err == nil && a.Is(access.Requester) && n.RequesterID != a.OrganisationID {
						return fmt.Errorf("a requester of organisation %d created a need of organisation %d", a.OrganisationID, n.RequesterID)
					}
					return err
				}},
			{Name: "Submit", Write: true, Want: at.All(at.OK), Do: func(ctx context.Context, a access.Actor, _ string) error {
				in := w.NeedInput("A", "", need.Mission)
				submitted++ // one address each: the form limits the emails sent to one
				in.Contact = &need.Contact{Name: "Jeanne Rivière", Email: fmt.Sprintf("mairie%d@exemple.fr", submitted), Role: "maire"}
				_, err := s.Submit(ctx, in, a)
				return err
			}},
			{Name: "Qualify", OnRecords: true, Write: true, Prepare: fresh, Want: staffOn, Do: func(ctx context.Context, a access.Actor, r string) error {
				return s.Qualify(ctx, ids[r], "", a)
			}},
			{Name: "Transition", OnRecords: true, Write: true, Prepare: fresh, Want: staffOn, Do: func(ctx context.Context, a access.Actor, r string) error {
				return s.Transition(ctx, ids[r], need.Cancelled, "la commune renonce", a)
			}},
			{Name: "Update", OnRecords: true, Write: true, Prepare: fresh, Want: staffOn, Do: func(ctx context.Context, a access.Actor, r string) error {
				in := w.NeedInput(r, "", need.Mission)
				in.Title = "Titre revu"
				_, err := s.Update(ctx, ids[r], in, a)
				return err
			}},
		}
		n := at.Run(t, db, w.Actor, ops)
		t.Logf("%d cases of %d operations", n, len(ops))
	})
}
