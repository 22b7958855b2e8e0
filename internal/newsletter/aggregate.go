package newsletter

import (
	"context"
	"database/sql"

	"vivier/internal/newsletter/track"
	"vivier/internal/store"
)

// A batch of hits rewrites what its messages' hits amount to (their rows
// of newsletter_engagement and newsletter_link_clicks). A message without
// any click, before or now, has no trap hit and no burst: its new opens
// add to what it was. The others are summed again from all their hits,
// since a trap or a burst can turn earlier hits into a machine's.
//
// Reading those hits back is most of a batch's cost, so the tracker keeps
// the hits it wrote of each message (hitCache) with the version of the
// message's engagement row after its write. A batch bumps that version
// first; when it finds the version the tracker left, no other instance
// wrote hits of the message in between, and the cached hits are all of
// them. Otherwise they are read back.

// maxCachedHits bounds the cache (a few hundred bytes a hit); past it, it
// starts again empty.
const maxCachedHits = 200_000

type cachedHits struct {
	version int
	hits    []track.Hit
}

type hitCache struct {
	byMessage map[int64]cachedHits
	size      int
}

// all returns the cached hits of msg if they are all of its hits, the
// engagement row being now at version (the cache's, bumped once).
func (c *hitCache) all(msg int64, version int) ([]track.Hit, bool) {
	e, ok := c.byMessage[msg]
	return e.hits, ok && e.version == version-1
}

// apply records what a committed batch wrote: all the hits of some
// messages, and the messages whose hits the cache no longer knows.
func (c *hitCache) apply(known map[int64]cachedHits, forget []int64) {
	for _, msg := range forget {
		c.size -= len(c.byMessage[msg].hits)
		delete(c.byMessage, msg)
	}
	for msg, e := range known {
		c.size += len(e.hits) - len(c.byMessage[msg].hits)
		if c.byMessage == nil || c.size > maxCachedHits {
			c.byMessage, c.size = map[int64]cachedHits{}, len(e.hits)
		}
		c.byMessage[msg] = e
	}
}

func (c *hitCache) reset() { c.byMessage, c.size = nil, 0 }

// aggregation is what a batch leaves for the cache once committed.
type aggregation struct {
	known  map[int64]cachedHits
	forget []int64
}

// aggregate rewrites the engagement of the touched messages (message →
// campaign) after the hits of batch were appended.
func (s *Service) aggregate(ctx context.Context, tx *sql.Tx, touched map[int64]int64, batch []rawHit) (aggregation, error) {
	var out aggregation
	prev, versions, err := bumpEngagement(ctx, tx, idList(touched))
	if err != nil {
		return out, err
	}
	traps, err := trapLinks(ctx, tx, touched)
	if err != nil {
		return out, err
	}
	isTrap := func(msg int64, link int) bool {
		trap, ok := traps[touched[msg]]
		return ok && link == trap
	}
	news := map[int64][]track.Hit{}
	clicked := map[int64]bool{}
	for _, h := range batch {
		news[h.msg] = append(news[h.msg], track.Hit{Link: h.link, Trap: isTrap(h.msg, h.link), At: h.at, IP: h.ip, UserAgent: h.ua})
		clicked[h.msg] = clicked[h.msg] || h.link != track.Open
	}
	sums := map[int64]track.Summary{}
	all := map[int64][]track.Hit{} // every hit of the messages summed again
	reread := map[int64]bool{}
	out.known = map[int64]cachedHits{}
	for msg := range touched {
		p, version := prev[msg], versions[msg]
		cached, complete := s.hits.cache.all(msg, version)
		if version == 0 { // a new row: the message had no hits before
			cached, complete = nil, true
		}
		hits := append(cached[:len(cached):len(cached)], news[msg]...) // never writes into the cache's array
		switch {
		case !clicked[msg] && !p.HumanClick && p.MachineClicks == 0 && version > 0:
			sums[msg] = p.Add(track.Summarise(news[msg]))
		case complete:
			all[msg] = hits
		default:
			reread[msg] = true
			continue
		}
		if complete {
			out.known[msg] = cachedHits{version: version, hits: hits}
		} else {
			out.forget = append(out.forget, msg)
		}
	}
	if err := readHits(ctx, tx, reread, func(msg int64, h track.Hit) {
		h.Trap = isTrap(msg, h.Link)
		all[msg] = append(all[msg], h)
	}); err != nil {
		return out, err
	}
	for msg := range reread {
		out.known[msg] = cachedHits{version: versions[msg], hits: all[msg]}
	}
	for msg, hits := range all {
		sums[msg] = track.Summarise(hits)
	}
	return out, s.writeEngagement(ctx, tx, touched, sums, all)
}

// bumpEngagement makes the missing engagement rows of the messages of
// list and bumps the others, which takes their locks (PostgreSQL): two
// instances' batches on one message follow each other, the second reading
// the first's hits. It returns what each message amounted to before this
// batch (the bump changes only the version) and its row's new version: 0
// for a new row, whose message has no hits stored before this batch.
func bumpEngagement(ctx context.Context, tx *sql.Tx, list string) (map[int64]track.Summary, map[int64]int, error) {
	prev, versions := map[int64]track.Summary{}, map[int64]int{}
	rows, err := tx.QueryContext(ctx, `INSERT INTO newsletter_engagement (message_id, campaign_id)
		SELECT id, campaign_id FROM campaign_messages WHERE id IN (`+list+`)
		ON CONFLICT (message_id) DO UPDATE SET version = newsletter_engagement.version + 1
		RETURNING message_id, version, pixel_fetches, human_open, machine_open, human_click, machine_clicks, first_human_at`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var version int
		var sum track.Summary
		var first sql.NullTime
		if err := rows.Scan(&id, &version, &sum.PixelFetches, &sum.HumanOpen, &sum.MachineOpen, &sum.HumanClick, &sum.MachineClicks, &first); err != nil {
			return nil, nil, err
		}
		if first.Valid {
			sum.FirstHuman = first.Time
		}
		prev[id], versions[id] = sum, version
	}
	return prev, versions, rows.Err()
}

// trapLinks returns the index of the hidden trap link of the touched
// messages' campaigns.
func trapLinks(ctx context.Context, tx *sql.Tx, touched map[int64]int64) (map[int64]int, error) {
	camps := map[int64]bool{}
	for _, c := range touched {
		camps[c] = true
	}
	traps := map[int64]int{}
	err := store.EachRow(ctx, tx, `SELECT campaign_id, idx FROM campaign_links WHERE trap AND campaign_id IN (`+idList(camps)+`)`, func(scan func(...any) error) error {
		var c int64
		var idx int
		if err := scan(&c, &idx); err != nil {
			return err
		}
		traps[c] = idx
		return nil
	})
	return traps, err
}

// readHits reads back every stored hit of the messages of ids.
func readHits(ctx context.Context, tx *sql.Tx, ids map[int64]bool, each func(msg int64, h track.Hit)) error {
	if len(ids) == 0 {
		return nil
	}
	return store.EachRow(ctx, tx, `SELECT message_id, link_idx, at, ip, user_agent FROM newsletter_hits WHERE message_id IN (`+idList(ids)+`)`, func(scan func(...any) error) error {
		var msg int64
		var h track.Hit
		if err := scan(&msg, &h.Link, &h.At, &h.IP, &h.UserAgent); err != nil {
			return err
		}
		each(msg, h)
		return nil
	})
}

// writeEngagement rewrites the engagement rows of the summed messages
// (they exist: bumpEngagement made them), and the clicks per link of those
// summed again from all their hits.
func (s *Service) writeEngagement(ctx context.Context, tx *sql.Tx, touched map[int64]int64, sums map[int64]track.Summary, all map[int64][]track.Hit) error {
	var eng, clicks [][]any
	for msg, sum := range sums {
		var first any
		if !sum.FirstHuman.IsZero() {
			first = sum.FirstHuman
		}
		eng = append(eng, []any{msg, touched[msg], sum.PixelFetches, sum.HumanOpen, sum.MachineOpen, sum.HumanClick, sum.MachineClicks, first})
		if _, full := all[msg]; full {
			for _, l := range sum.Links {
				clicks = append(clicks, []any{msg, l.Link, touched[msg], l.Human, l.Machine})
			}
		}
	}
	d := s.db.Dialect()
	if err := insertRows(ctx, tx, d, `INSERT INTO newsletter_engagement (message_id, campaign_id, pixel_fetches, human_open, machine_open, human_click, machine_clicks, first_human_at) VALUES `,
		`ON CONFLICT (message_id) DO UPDATE SET pixel_fetches = excluded.pixel_fetches, human_open = excluded.human_open, machine_open = excluded.machine_open,
			human_click = excluded.human_click, machine_clicks = excluded.machine_clicks, first_human_at = excluded.first_human_at`, 8, eng); err != nil {
		return err
	}
	// A link once clicked stays in a message's sums (its hits are kept):
	// its row is rewritten, never left stale.
	return insertRows(ctx, tx, d, `INSERT INTO newsletter_link_clicks (message_id, link_idx, campaign_id, human_clicks, machine_clicks) VALUES `,
		`ON CONFLICT (message_id, link_idx) DO UPDATE SET human_clicks = excluded.human_clicks, machine_clicks = excluded.machine_clicks`, 5, clicks)
}
