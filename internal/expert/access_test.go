package expert_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"vivier/internal/access"
	at "vivier/internal/access/accesstest"
	"vivier/internal/expert"
	"vivier/internal/store"
	"vivier/internal/store/storetest"
)

// TestAccess calls every method of the expert service as every actor on
// the profile of expert A and of expert B: staff see and change every
// profile, an expert sees and edits their own (not its status, not its
// link), nobody else sees any.
func TestAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := at.NewWorld(t, db)
		w.Pool(t)
		s := w.Experts
		ctx := context.Background()
		fresh := func(t *testing.T, r string) {
			id := w.NewExpert(t, r, true)
			if err := s.UploadCV(ctx, id, "cv.pdf", strings.NewReader("%PDF-1.4 cv"), access.System); err != nil {
				t.Fatal(err)
			}
		}
		// unlinked are profiles without an account, and account an expert
		// account without a profile, for LinkUser.
		unlinked, account := map[string]int64{}, map[string]int64{}
		get := func(r string) expert.Expert {
			e, err := s.Get(ctx, w.Expert[r], access.System)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		// listed is « not found » unless id is in the list.
		listed := func(id int64, ids []int64, err error) error {
			if err != nil {
				return err
			}
			for _, x := range ids {
				if x == id {
					return nil
				}
			}
			return store.NotFound("expert %d in the list", id)
		}
		seq := 0
		file := func() io.Reader {
			seq++
			return strings.NewReader(strings.Join(expert.Columns, ",") + "\n" +
				fmt.Sprintf("IMP-%d,Importé,Jean,jean.%d@exemple.fr,,mobilite,,69123,national,filieres.industrie:3,,500,5,fr,,oui\n", seq, seq))
		}

		// Who sees a profile: staff and its expert.
		read := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.OK, at.ROwnExpert)
		// Staff only, on a profile the expert sees: refused to them.
		staffOn := at.All(at.NotFound).Set(at.OK, at.Staff...).Set(at.Forbidden, at.ROwnExpert)
		// Staff only, on no profile in particular.
		staffList := at.All(at.Forbidden).Set(at.OK, at.Staff...)

		ops := []at.Op{
			{Name: "Get", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Get(ctx, w.Expert[r], a)
				return err
			}},
			{Name: "ByReference", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.ByReference(ctx, get(r).Reference, a)
				return err
			}},
			{Name: "History", OnRecords: true, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.History(ctx, w.Expert[r], a)
				return err
			}},
			{Name: "CV", OnRecords: true, Prepare: fresh, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.CV(ctx, w.Expert[r], a)
				return err
			}},
			{Name: "Mine", OnRecords: true, Want: at.All(at.NotFound).Set(at.OK, at.ROwnExpert), Do: func(ctx context.Context, a access.Actor, r string) error {
				e, err := s.Mine(ctx, a)
				return listed(w.Expert[r], []int64{e.ID}, err)
			}},
			{Name: "List", OnRecords: true, Want: staffList, Do: func(ctx context.Context, a access.Actor, r string) error {
				var ids []int64
				for p := 1; ; p++ {
					page, err := s.List(ctx, expert.Filter{Page: p, PageSize: expert.MaxPageSize, Brief: true}, a)
					if err != nil {
						return err
					}
					for _, e := range page.Experts {
						ids = append(ids, e.ID)
					}
					if p >= page.Pages() {
						break
					}
				}
				return listed(w.Expert[r], ids, nil)
			}},
			{Name: "Names", OnRecords: true, Want: staffList, Do: func(ctx context.Context, a access.Actor, r string) error {
				names, err := s.Names(ctx, []int64{w.Expert[r]}, a)
				if err == nil && names[w.Expert[r]] == "" {
					return store.NotFound("name of expert %s", r)
				}
				return err
			}},
			{Name: "Find", OnRecords: true, Want: staffList, Do: func(ctx context.Context, a access.Actor, r string) error {
				found, err := s.Find(ctx, get(r).Reference, a)
				var ids []int64
				for _, b := range found {
					ids = append(ids, b.ID)
				}
				return listed(w.Expert[r], ids, err)
			}},
			{Name: "Export", OnRecords: true, Want: staffList, Do: func(ctx context.Context, a access.Actor, r string) error {
				var b bytes.Buffer
				_, err := s.Export(ctx, &b, "csv", a)
				if err == nil && !strings.Contains(b.String(), get(r).Reference+",") {
					return store.NotFound("expert %s in the export", r)
				}
				return err
			}},
			{Name: "Preview", Want: staffList, Do: func(ctx context.Context, a access.Actor, _ string) error {
				rep, err := s.Preview(ctx, file(), expert.ImportOptions{}, a)
				if err == nil && rep.Created != 1 {
					return fmt.Errorf("preview: %+v", rep)
				}
				return err
			}},
			{Name: "Create", Write: true, Want: staffList, Do: func(ctx context.Context, a access.Actor, r string) error {
				_, err := s.Create(ctx, w.Profile("A"), a)
				return err
			}},
			{Name: "Import", Write: true, Want: staffList, Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.Import(ctx, file(), expert.ImportOptions{}, a)
				return err
			}},
			{Name: "Update", OnRecords: true, Write: true, Prepare: fresh, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				// The expert edits their profile, not its reference.
				old := get(r)
				p := old.Profile
				p.Bio = "Bio revue par " + a.IP
				p.Reference = old.Reference + "-REVUE"
				e, err := s.Update(ctx, w.Expert[r], p, a)
				if err == nil && !a.Staff() && e.Reference != old.Reference {
					return fmt.Errorf("expert changed their reference to %s", e.Reference)
				}
				return err
			}},
			{Name: "UploadCV", OnRecords: true, Write: true, Prepare: fresh, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				return s.UploadCV(ctx, w.Expert[r], "nouveau.pdf", strings.NewReader("%PDF-1.7 nouveau"), a)
			}},
			{Name: "RecordConsent", OnRecords: true, Write: true, Prepare: fresh, Want: read, Do: func(ctx context.Context, a access.Actor, r string) error {
				return s.RecordConsent(ctx, w.Expert[r], time.Now(), a)
			}},
			{Name: "SetStatus", OnRecords: true, Write: true, Prepare: fresh, Want: staffOn, Do: func(ctx context.Context, a access.Actor, r string) error {
				return s.SetStatus(ctx, w.Expert[r], expert.Suspended, "absent jusqu’à nouvel ordre", a)
			}},
			{Name: "LinkUser (again, to its account)", OnRecords: true, Replay: true, Prepare: fresh, Want: staffOn,
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.LinkUser(ctx, w.Expert[r], w.Users[at.ExpertOf(r)], a)
				}},
			{Name: "LinkUser (a profile without account)", OnRecords: true, Write: true, Want: at.All(at.NotFound).Set(at.OK, at.Staff...),
				Prepare: func(t *testing.T, r string) {
					unlinked[r], account[r] = w.NewExpert(t, r, false), w.User(t, access.Expert, 0)
				},
				Do: func(ctx context.Context, a access.Actor, r string) error {
					return s.LinkUser(ctx, unlinked[r], account[r], a)
				}},
			{Name: "AnonymiseExpired", Write: true, Want: at.All(at.Forbidden).Set(at.OK, at.RSystem), Do: func(ctx context.Context, a access.Actor, _ string) error {
				_, err := s.AnonymiseExpired(ctx, time.Now(), 24*time.Hour, a)
				return err
			}},
		}
		n := at.Run(t, db, w.Actor, ops)
		t.Logf("%d cases of %d operations", n, len(ops))
	})
}
