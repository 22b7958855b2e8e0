// Package demo fills a database with a realistic demo data set for
// `vivier demo`: experts over real communes, needs of small communes,
// missions, members, events and campaigns, the federation's representation
// and its published activity reports, and one account per role.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"vivier/internal/account"
	"vivier/internal/geo"
	"vivier/internal/network"
	"vivier/internal/store"
)

// Options tune the demo data set.
type Options struct {
	Progress io.Writer // where to show progress (a terminal), or nil
	Seed     int64     // random seed; the same seed gives the same data
	BaseURL  string    // public URL of the demo, for the links in its emails
}

// Account is a demo login printed for the user.
type Account struct {
	Role, Email, Password string
}

// markerKey marks a database that holds demo data.
const markerKey = "demo.filled_at"

// ErrNotEmpty refuses to fill a database that holds other data.
var ErrNotEmpty = errors.New("this database already holds data that is not a demo: give an empty database to vivier demo")

// Fill fills an empty, migrated database with the demo data set and returns
// the demo accounts. A database that already holds a demo is left as it is.
func Fill(ctx context.Context, db *store.DB, opts Options) ([]Account, error) {
	filled, err := isDemo(ctx, db)
	if err != nil {
		return nil, err
	}
	if filled {
		return accounts(), nil
	}
	if empty, err := isEmpty(ctx, db); err != nil {
		return nil, err
	} else if !empty {
		return nil, ErrNotEmpty
	}
	// The demo accounts (added with the accounts) link to pool.ExpertID and
	// pool.RequesterOrgID.
	pool, err := FillPool(ctx, db, opts)
	if err != nil {
		return nil, err
	}
	err = store.PutSetting(ctx, db, markerKey, fmt.Sprintf("%q", time.Now().UTC().Format(time.RFC3339)), time.Now())
	if err != nil {
		return nil, fmt.Errorf("mark demo database: %w", err)
	}
	if err := createAccounts(ctx, db, opts.BaseURL, pool); err != nil {
		return nil, err
	}
	if err := FillMissions(ctx, db, pool); err != nil {
		return nil, err
	}
	// The network first: its current members and their staff are the
	// people of the rest of the story (world.go).
	if err := FillNetwork(ctx, db, opts); err != nil {
		return nil, err
	}
	net := network.New(network.Options{DB: db, Geo: geo.Default(), BaseURL: opts.BaseURL,
		Accounts: account.New(account.Options{DB: db, BaseURL: opts.BaseURL})})
	w, err := loadWorld(ctx, db, net)
	if err != nil {
		return nil, fmt.Errorf("demo network: %w", err)
	}
	if err := fillEvents(ctx, db, opts, w, net); err != nil { // events.go
		return nil, err
	}
	if err := fillSubmissions(ctx, db, opts); err != nil {
		return nil, err
	}
	if err := FillNewsletters(ctx, db, opts.BaseURL, opts.Seed); err != nil { // newsletter.go
		return nil, fmt.Errorf("demo newsletters: %w", err)
	}
	if err := fillReport(ctx, db, w, net); err != nil {
		return nil, err
	}
	return accounts(), nil
}

func isDemo(ctx context.Context, db *store.DB) (bool, error) {
	_, ok, err := store.Setting(ctx, db, markerKey)
	return ok, err
}

// isEmpty reports whether the database holds no application data yet.
func isEmpty(ctx context.Context, db *store.DB) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, "SELECT count(*) FROM settings").Scan(&n)
	return n == 0, err
}
