package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the SQLite readers' prepared statements by their text.
// The pure-Go SQLite driver parses and plans a statement again on every
// call (a tenth of a millisecond for the list page's), and the pages run
// the same few statements over and over. PostgreSQL needs none: pgx keeps
// its own cache of prepared statements on each connection.
//
// The cache is bounded: statements whose text carries values (a page's
// offset) come and go, and past maxCachedStatements the least recently
// used is dropped. A dropped statement is closed once no request is
// starting a query on it; rows already open on it stay readable
// (database/sql closes the statement on a connection when its rows are
// closed).
type stmtCache struct {
	db      *sql.DB
	mu      sync.Mutex
	entries map[string]*cachedStmt
	clock   uint64 // counts uses, for lastUsed
}

type cachedStmt struct {
	stmt     *sql.Stmt
	users    int    // requests between use and done
	dropped  bool   // out of the map: close when users reaches 0
	lastUsed uint64 // the cache's clock at its last use
}

const maxCachedStatements = 256

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, entries: make(map[string]*cachedStmt)}
}

// query runs a read query through its prepared statement.
func (c *stmtCache) query(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	e, err := c.use(ctx, query)
	if err != nil {
		return nil, err
	}
	defer c.done(e)
	return e.stmt.QueryContext(ctx, args...)
}

// queryRow runs a one-row read query through its prepared statement.
func (c *stmtCache) queryRow(ctx context.Context, query string, args []any) *sql.Row {
	e, err := c.use(ctx, query)
	if err != nil {
		// The same statement on the pool returns a Row carrying the error.
		return c.db.QueryRowContext(ctx, query, args...)
	}
	defer c.done(e)
	return e.stmt.QueryRowContext(ctx, args...)
}

// use returns the prepared statement for query, preparing it on first use,
// and counts the caller among its users until done.
func (c *stmtCache) use(ctx context.Context, query string) (*cachedStmt, error) {
	c.mu.Lock()
	if e, ok := c.entries[query]; ok {
		e.users++
		c.clock++
		e.lastUsed = c.clock
		c.mu.Unlock()
		return e, nil
	}
	c.mu.Unlock()
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clock++
	if e, ok := c.entries[query]; ok { // prepared meanwhile by another request
		st.Close()
		e.users++
		e.lastUsed = c.clock
		return e, nil
	}
	if len(c.entries) >= maxCachedStatements {
		c.dropLeastRecentLocked()
	}
	e := &cachedStmt{stmt: st, users: 1, lastUsed: c.clock}
	c.entries[query] = e
	return e, nil
}

func (c *stmtCache) done(e *cachedStmt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.users--
	if e.dropped && e.users == 0 {
		e.stmt.Close()
	}
}

// dropLeastRecentLocked drops the statement used longest ago: a scan of
// the cache, paid only when a new statement comes into a full one.
func (c *stmtCache) dropLeastRecentLocked() {
	var oldest string
	var found *cachedStmt
	for text, e := range c.entries {
		if found == nil || e.lastUsed < found.lastUsed {
			oldest, found = text, e
		}
	}
	if found != nil {
		c.dropLocked(oldest, found)
	}
}

func (c *stmtCache) dropLocked(text string, e *cachedStmt) {
	delete(c.entries, text)
	e.dropped = true
	if e.users == 0 {
		e.stmt.Close()
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for text, e := range c.entries {
		c.dropLocked(text, e)
	}
}
