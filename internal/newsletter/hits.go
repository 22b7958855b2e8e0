package newsletter

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"time"

	"vivier/internal/access"
	"vivier/internal/newsletter/track"
)

// Tracking hits are kept in memory as they come and written in batches
// (every quarter of a second, or at once past flushSize): the pixel and the
// redirect answer without waiting for the database. A batch appends its
// hits to newsletter_hits, then rewrites what the touched messages' hits
// amount to, from all of their hits (a burst or a trap can turn earlier
// hits into a machine's). Hits that cannot be — unknown or untracked
// message, before the message was handed to the relay — are refused and
// not stored. Nothing is lost at shutdown: the app flushes after the last
// request; a crash loses at most the hits of the last quarter second.
const (
	flushEvery = 250 * time.Millisecond
	flushSize  = 2000
	maxPending = 200_000 // past this, Record writes before it returns
	chunk      = 2000    // hits per transaction
)

type rawHit struct {
	msg  int64
	link int
	at   time.Time
	ip   string
	ua   string
}

type hitBuffer struct {
	mu      sync.Mutex
	pending []rawHit
	flushMu sync.Mutex // one flush at a time
	wake    chan struct{}
	// known caches what the hits of a message need to know of it, once it
	// was handed to the relay: then it never changes (flushes only).
	known map[int64]messageInfo
	// erased is the count of erasures when known was last emptied.
	erased int64
	// cache holds the hits this process wrote, by message (aggregate.go;
	// flushes only).
	cache hitCache
}

// maxKnown bounds the cache of messages; past it, it starts again empty.
const maxKnown = 500_000

func newHitBuffer() *hitBuffer { return &hitBuffer{wake: make(chan struct{}, 1)} }

// record adds a hit; it reports whether the buffer is full enough that the
// caller must flush before going on.
func (b *hitBuffer) record(h rawHit) (full bool) {
	b.mu.Lock()
	b.pending = append(b.pending, h)
	n := len(b.pending)
	b.mu.Unlock()
	if n >= flushSize {
		select {
		case b.wake <- struct{}{}:
		default:
		}
	}
	return n >= maxPending
}

func (b *hitBuffer) take() []rawHit {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.pending
	b.pending = nil
	return out
}

// Open records a fetch of the open pixel of the message of token, from
// actor's address with the user agent ua. It never fails: the pixel is
// served whatever happens.
func (s *Service) Open(ctx context.Context, token, ua string, actor access.Actor) {
	id, ok := s.messageOf(ctx, token)
	if !ok {
		s.metrics.hit("refused")
		return
	}
	s.record(ctx, rawHit{msg: id, link: track.Open, at: s.now(), ip: actor.IP, ua: truncate(ua, 500)})
}

// Click returns where link n of the message of token leads, and records the
// hit. ok is false for a bad token or a link that is not the campaign's:
// redirects go to the campaign's own links only.
func (s *Service) Click(ctx context.Context, token string, n int, ua string, actor access.Actor) (target string, ok bool) {
	id, ok := s.messageOf(ctx, token)
	if !ok || n < 0 {
		return "", false
	}
	var trap bool
	err := s.db.QueryRowContext(ctx, `SELECT l.url, l.trap FROM campaign_messages m
		JOIN campaign_links l ON l.campaign_id = m.campaign_id AND l.idx = $2 WHERE m.id = $1`, id, n).Scan(&target, &trap)
	if err != nil {
		if err != sql.ErrNoRows {
			s.logger.Error("newsletter: reading a link", "err", err)
		}
		return "", false
	}
	if trap {
		target = "/"
	}
	s.record(ctx, rawHit{msg: id, link: n, at: s.now(), ip: actor.IP, ua: truncate(ua, 500)})
	return target, true
}

func (s *Service) record(ctx context.Context, h rawHit) {
	if s.hits.record(h) {
		if err := s.FlushHits(context.WithoutCancel(ctx)); err != nil {
			s.logger.Error("newsletter: writing hits", "err", err)
		}
	}
}

// RunTracker writes the hits in batches until ctx ends, then writes the
// last ones.
func (s *Service) RunTracker(ctx context.Context) {
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			wctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			if err := s.FlushHits(wctx); err != nil {
				s.logger.Error("newsletter: writing the last hits", "err", err)
			}
			cancel()
			return
		case <-t.C:
		case <-s.hits.wake:
		}
		if err := s.FlushHits(ctx); err != nil {
			s.logger.Error("newsletter: writing hits", "err", err)
		}
	}
}

// FlushHits writes the hits received so far. A batch that fails is put
// back, to be written by the next flush.
func (s *Service) FlushHits(ctx context.Context) error {
	s.hits.flushMu.Lock()
	defer s.hits.flushMu.Unlock()
	all := s.hits.take()
	for len(all) > 0 {
		n := min(chunk, len(all))
		if err := s.writeHits(ctx, all[:n]); err != nil {
			s.hits.mu.Lock()
			s.hits.pending = append(all, s.hits.pending...)
			s.hits.mu.Unlock()
			return err
		}
		all = all[n:]
	}
	return nil
}

type messageInfo struct {
	campaign int64
	tracked  bool
	handed   time.Time
}

// writeHits stores one batch and rewrites its messages' engagement.
func (s *Service) writeHits(ctx context.Context, hits []rawHit) error {
	ids := map[int64]bool{}
	for _, h := range hits {
		ids[h.msg] = true
	}
	stored, refused := 0, 0
	var done aggregation
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		stored, refused, done = 0, 0, aggregation{}
		infos, err := s.messageInfos(ctx, tx, ids)
		if err != nil {
			return err
		}
		var keep []rawHit
		touched := map[int64]int64{} // message → campaign
		for _, h := range hits {
			in, ok := infos[h.msg]
			if !ok || !in.tracked || track.Refused(in.handed, h.at) || h.at.Sub(in.handed) > MeasureWindow {
				refused++
				continue
			}
			keep = append(keep, h)
			touched[h.msg] = in.campaign
		}
		if len(keep) == 0 {
			return nil
		}
		stored = len(keep)
		rows := make([][]any, len(keep))
		for i, h := range keep {
			rows[i] = []any{h.msg, touched[h.msg], h.link, h.at, h.ip, h.ua}
		}
		if err := insertRows(ctx, tx, s.db.Dialect(), `INSERT INTO newsletter_hits (message_id, campaign_id, link_idx, at, ip, user_agent) VALUES `, "", 6, rows); err != nil {
			return err
		}
		done, err = s.aggregate(ctx, tx, touched, keep)
		return err
	})
	if err == nil {
		s.hits.cache.apply(done.known, done.forget)
		s.metrics.hits(stored, refused)
	}
	return err
}

func idList[T any](m map[int64]T) string {
	parts := make([]string, 0, len(m))
	for id := range m {
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	return strings.Join(parts, ",")
}

func (s *Service) messageInfos(ctx context.Context, q *sql.Tx, ids map[int64]bool) (map[int64]messageInfo, error) {
	if n := erasures.Load(); n != s.hits.erased {
		s.hits.known, s.hits.erased = nil, n
		s.hits.cache.reset()
	}
	out := map[int64]messageInfo{}
	missing := map[int64]bool{}
	for id := range ids {
		if in, ok := s.hits.known[id]; ok {
			out[id] = in
		} else {
			missing[id] = true
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, campaign_id, tracked, handed_at FROM campaign_messages WHERE id IN (`+idList(missing)+`) AND email NOT LIKE '%`+erasedDomain+`'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if s.hits.known == nil || len(s.hits.known) > maxKnown {
		s.hits.known = map[int64]messageInfo{}
	}
	for rows.Next() {
		var id int64
		var in messageInfo
		var handed sql.NullTime
		if err := rows.Scan(&id, &in.campaign, &in.tracked, &handed); err != nil {
			return nil, err
		}
		if handed.Valid {
			in.handed = handed.Time
			s.hits.known[id] = in
		}
		out[id] = in
	}
	return out, rows.Err()
}
