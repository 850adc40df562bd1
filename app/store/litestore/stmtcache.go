package litestore

import (
	"container/list"
	"context"
	"database/sql/driver"

	"modernc.org/sqlite"
)

// stmtCacheSize is how many prepared statements each connection keeps. The
// save path and River's polling use a few dozen; the rest of the app a few
// hundred, most of them rarely. Each costs a few KiB of SQLite memory.
const stmtCacheSize = 256

// connector opens modernc connections that keep their prepared statements.
//
// database/sql prepares, runs and finalizes a statement on every
// QueryContext and ExecContext that is not an explicit Prepare, and SQLite's
// parser and code generator were about 40% of the CPU of a save on SQLite
// (docs/performance.md, issue 22). sqlc's prepared-query mode would not
// help: it prepares on the *sql.DB, and a statement prepared there is
// prepared again inside every transaction on the writer. Caching below
// database/sql, per connection, covers our queries, the ones in
// transactions and River's alike. PostgreSQL needs none of this: pgx caches
// statements per connection by default.
type connector struct {
	dsn string
	drv *sqlite.Driver
}

func newConnector(dsn string) connector { return connector{dsn: dsn, drv: &sqlite.Driver{}} }

func (c connector) Connect(context.Context) (driver.Conn, error) {
	dc, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{inner: dc, stmts: map[string]*list.Element{}, lru: list.New()}, nil
}

func (c connector) Driver() driver.Driver { return c.drv }

// innerConn is what modernc's connection implements and cachingConn uses.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachingConn is one modernc connection with an LRU of prepared statements
// by SQL text. database/sql never uses a connection from two goroutines at
// once, so it needs no lock.
type cachingConn struct {
	inner driver.Conn
	stmts map[string]*list.Element // of *cachedStmt
	lru   *list.List               // most recently used first
}

type cachedStmt struct {
	query string
	stmt  driver.Stmt
	// busy is set while rows read from stmt are open: running the statement
	// again would reset it under them, so a nested use of the same SQL (a
	// query inside a loop over its own rows) gets a statement of its own.
	busy bool
}

func (c *cachingConn) conn() innerConn { return c.inner.(innerConn) }

// statement returns the cached statement for query, preparing and caching
// it on first use; nil when it is in use.
func (c *cachingConn) statement(ctx context.Context, query string) (*cachedStmt, error) {
	if e, ok := c.stmts[query]; ok {
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		return cs, nil
	}
	st, err := c.conn().PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{query: query, stmt: st}
	c.stmts[query] = c.lru.PushFront(cs)
	c.evict()
	return cs, nil
}

// evict finalizes the least recently used statements beyond the cache size,
// skipping any whose rows are still open.
func (c *cachingConn) evict() {
	for e := c.lru.Back(); e != nil && c.lru.Len() > stmtCacheSize; {
		prev := e.Prev()
		if cs := e.Value.(*cachedStmt); !cs.busy {
			c.lru.Remove(e)
			delete(c.stmts, cs.query)
			_ = cs.stmt.Close()
		}
		e = prev
	}
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.conn().ExecContext(ctx, query, args)
	}
	return cs.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.conn().QueryContext(ctx, query, args)
	}
	rows, err := cs.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{innerRows: rows.(innerRows), stmt: cs}, nil
}

func (c *cachingConn) Close() error {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		_ = e.Value.(*cachedStmt).stmt.Close()
	}
	c.stmts, c.lru = nil, list.New()
	return c.inner.Close()
}

// Explicit Prepare is left to the driver: the caller owns and closes it.
func (c *cachingConn) Prepare(query string) (driver.Stmt, error) { return c.inner.Prepare(query) }
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.conn().PrepareContext(ctx, query)
}
func (c *cachingConn) Begin() (driver.Tx, error) { return c.inner.Begin() } //nolint:staticcheck // driver.Conn requires it
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.conn().BeginTx(ctx, opts)
}
func (c *cachingConn) Ping(ctx context.Context) error         { return c.conn().Ping(ctx) }
func (c *cachingConn) ResetSession(ctx context.Context) error { return c.conn().ResetSession(ctx) }
func (c *cachingConn) IsValid() bool                          { return c.conn().IsValid() }

// innerRows is what modernc's rows implement; cachedRows passes it on so
// sql.Rows.ColumnTypes still works.
type innerRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// cachedRows frees its statement for reuse when closed.
type cachedRows struct {
	innerRows
	stmt *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.innerRows.Close()
	r.stmt.busy = false
	return err
}
