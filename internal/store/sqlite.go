package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqlitePragmas hold for every SQLite connection:
//   - WAL lets readers work while the writer writes;
//   - synchronous=FULL syncs the WAL on every commit, so an acknowledged
//     write survives a crash or a power cut, not only a process kill;
//   - foreign keys are off by default in SQLite;
//   - busy_timeout makes a connection wait for a lock instead of failing at
//     once (readers can still meet the writer's checkpoint);
//   - mmap_size lets connections read the database file through a memory
//     mapping (the operating system's page cache, shared by all of them),
//     instead of copying every page they read with a system call into
//     their own small cache: those reads were a quarter of the CPU of the
//     list pages under concurrent requests. SQLite maps at most this much
//     of the file and still writes through the WAL. The cost: a read error,
//     or the file truncated under a running server, ends the process
//     (SIGBUS) instead of returning an error.
var sqlitePragmas = []string{
	"journal_mode(WAL)",
	"synchronous(FULL)",
	"foreign_keys(ON)",
	"mmap_size(1073741824)",
}

// defaultBusyTimeout is SQLite's wait for a lock (Options.BusyTimeout).
const defaultBusyTimeout = 10 * time.Second

func openSQLite(ctx context.Context, path string, opts Options) (*DB, error) {
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return nil, fmt.Errorf("SQLite path %q: options are set by Vivier, remove %q", path, path[i:])
	}
	if dir := filepath.Dir(path); dir != "." {
		if _, err := os.Stat(dir); err != nil {
			return nil, describe(path, fmt.Errorf("folder %s does not exist", dir))
		}
	}
	if opts.Readers == 0 {
		opts.Readers = 4
	}
	if opts.BusyTimeout == 0 {
		opts.BusyTimeout = defaultBusyTimeout
	}
	write, err := sql.Open("sqlite", sqliteDSN(path, true, opts.BusyTimeout))
	if err != nil {
		return nil, describe(path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open("sqlite", sqliteDSN(path, false, opts.BusyTimeout))
	if err != nil {
		write.Close()
		return nil, describe(path, err)
	}
	read.SetMaxOpenConns(opts.Readers)
	read.SetMaxIdleConns(opts.Readers)
	db := &DB{engine: SQLite, dialect: sqliteDialect{}, read: read, write: write, source: path, stmts: newStmtCache(read)}
	if err := checkSQLiteFile(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// sqliteDSN builds the driver's connection string. Writers begin their
// transactions IMMEDIATE so that two writers never deadlock upgrading a read
// lock; timestamps are stored in SQLite's own text format.
func sqliteDSN(path string, writer bool, busy time.Duration) string {
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Set("_time_format", "sqlite")
	if writer {
		q.Set("_txlock", "immediate")
		// The statement journals of multi-row writes (an import's
		// batches) stay in memory: the choice is made when a transaction
		// begins, so it is set on the connection, not in the transaction.
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	return "file:" + path + "?" + q.Encode()
}

// checkSQLiteFile opens the first connections, which reads the file header:
// a file that is not an SQLite database fails here with a clear message.
func checkSQLiteFile(ctx context.Context, db *DB) error {
	var mode string
	err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
	if err == nil {
		err = db.read.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(new(int))
	}
	if err != nil {
		if isSQLiteCode(err, sqlite3.SQLITE_NOTADB) || isSQLiteCode(err, sqlite3.SQLITE_CORRUPT) {
			return fmt.Errorf("database %s is not a valid SQLite file (corrupt, or another kind of file)", db.source)
		}
		return describe(db.source, err)
	}
	if mode != "wal" {
		return fmt.Errorf("database %s: could not switch to WAL mode (got %q)", db.source, mode)
	}
	return nil
}

func isSQLiteCode(err error, code int) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == code
}

// sqliteTimeLayout is how the driver writes a time.Time (_time_format=sqlite
// in sqliteDSN). Timestamps are written in UTC, so they end in +00:00 and
// compare as text in time order; the triggers that write timestamps
// themselves (migration 0034) write this layout too.
const sqliteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"

// sqliteDialect is SQLite's side of Dialect.
type sqliteDialect struct{}

func (sqliteDialect) SkipLocked() string { return "" }

func (sqliteDialect) ForUpdate() string { return "" }

func (sqliteDialect) SubqueryFence() string { return "" }

// NoIndex: unary + (a no-op on any value) keeps the column off its index.
// Through the index, the expert list's zone probe of a region (fourteen
// zones) was twice slower.
func (sqliteDialect) NoIndex(column string) string { return "+" + column }

// BatchPlaceholder is "?": the driver binds named parameters ($1…) by
// looking each name up in a list, at a cost that grows with the square of
// their number in one statement, which a multi-row INSERT of a thousand
// values makes the main cost of an import. Anonymous ones bind by position.
func (sqliteDialect) BatchPlaceholder(int) string { return "?" }

// BulkWrite widens the writer connection's page cache, so that the
// transaction's pages stay in memory instead of spilling to the WAL before
// the commit. (The statement journals of multi-row INSERTs already stay in
// memory: sqliteDSN sets temp_store=MEMORY on the writer.)
func (sqliteDialect) BulkWrite(ctx context.Context, tx *sql.Tx) (restore func()) {
	var size int
	if err := tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&size); err != nil {
		return func() {}
	}
	tx.ExecContext(ctx, `PRAGMA cache_size = -262144`) // 256 MiB at most
	return func() {
		tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d`, size))
	}
}

// Analyze does nothing: without statistics SQLite's planner follows a query
// as written, and Vivier's queries are written for that (the expert list
// chooses which index drives it); statistics would change their plans.
func (sqliteDialect) Analyze(context.Context, Querier, ...string) error { return nil }

// TextMatch reads the FTS5 table, whose rowid is the record's id.
func (sqliteDialect) TextMatch(ix TextIndex, n int, tokens []string) (string, any) {
	return fmt.Sprintf("SELECT rowid AS id FROM %s WHERE %s MATCH $%d", ix.FTS, ix.FTS, n), fts5Query(tokens)
}

func (sqliteDialect) TextCount(ix TextIndex, tokens []string) (string, any) {
	return fmt.Sprintf("SELECT count(*) FROM %s WHERE %s MATCH $1", ix.FTS, ix.FTS), fts5Query(tokens)
}

// JoinTextMatches: FTS5 hands out its matches as it finds them, so a count
// joined to them stops at its limit.
func (sqliteDialect) JoinTextMatches() bool { return true }

// fts5Query writes tokens as FTS5 strings ("a" "b"), which FTS5 ANDs.
// Tokens hold only letters and digits, but quoting keeps words such as NOT
// or NEAR from being read as operators.
func fts5Query(tokens []string) string {
	var b strings.Builder
	for i, t := range tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
	}
	return b.String()
}

// lockMigrations needs nothing: writer transactions begin IMMEDIATE, so a
// migration holds the database's write lock from its first statement and
// another process migrating waits for it.
func (sqliteDialect) lockMigrations(context.Context, *sql.Tx) error { return nil }

// backup: VACUUM INTO reads the database inside one read transaction, so
// the copy holds exactly the commits made before it began, even while the
// application keeps writing; the copy is compact and ready to open.
func (sqliteDialect) backup(ctx context.Context, db *DB, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup file %s already exists: choose another name", dest)
	}
	if _, err := db.read.ExecContext(ctx, "VACUUM INTO $1", dest); err != nil {
		os.Remove(dest)
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return nil
}

func (sqliteDialect) integrityCheck(ctx context.Context, db *DB) error {
	var res string
	if err := db.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity check failed: %s", res)
	}
	return nil
}

func (sqliteDialect) schema(ctx context.Context, db *DB) (Schema, error) {
	return sqliteSchema(ctx, db)
}
