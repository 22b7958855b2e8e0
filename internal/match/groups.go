package match

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// groupOf returns the mutualised group of need needID and its members in
// order (the need itself included), or 0 and nil when the need is alone.
func groupOf(ctx context.Context, q store.Querier, needID int64) (int64, []int64, error) {
	var group int64
	err := q.QueryRowContext(ctx, `SELECT group_id FROM need_group_members WHERE need_id = $1`, needID).Scan(&group)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("match: need group: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT need_id FROM need_group_members WHERE group_id = $1 ORDER BY position, need_id`, group)
	if err != nil {
		return 0, nil, fmt.Errorf("match: need group: %w", err)
	}
	defer rows.Close()
	var members []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, nil, err
		}
		members = append(members, id)
	}
	return group, members, rows.Err()
}

// groupNeeds mutualises need with others: when need already heads or
// belongs to a group, the others join it; otherwise a new group starts with
// need first. A need already in another group is refused (field "need"),
// and nothing is written. The caller has checked that the needs can be
// pooled (Pool) and merged (Merge).
func groupNeeds(ctx context.Context, db *store.DB, needID int64, others []int64, actor access.Actor) (int64, error) {
	var group int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var members []int64
		var err error
		if group, members, err = groupOf(ctx, tx, needID); err != nil {
			return err
		}
		now := time.Now().UTC()
		if group == 0 {
			var creator any
			if actor.UserID != 0 {
				creator = actor.UserID
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO need_groups (created_by, created_at) VALUES ($1, $2) RETURNING id`,
				creator, now).Scan(&group); err != nil {
				return err
			}
			if err := addMember(ctx, tx, group, needID, 0, actor, now); err != nil {
				return err
			}
			members = []int64{needID}
		}
		for _, o := range others {
			g, _, err := groupOf(ctx, tx, o)
			if err != nil {
				return err
			}
			if g == group {
				continue
			}
			if g != 0 {
				var errs valid.Errors
				errs.Add("need", "le besoin n° %d est déjà mutualisé avec d’autres besoins : dissociez-le d’abord", o)
				return errs
			}
			if err := addMember(ctx, tx, group, o, len(members), actor, now); err != nil {
				return err
			}
			members = append(members, o)
		}
		return nil
	})
	return group, err
}

func addMember(ctx context.Context, tx *sql.Tx, group, needID int64, position int, actor access.Actor, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO need_group_members (need_id, group_id, position) VALUES ($1, $2, $3)`,
		needID, group, position); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "need.grouped", Subject: "need:" + strconv.FormatInt(needID, 10),
		Details: map[string]any{"group": group}})
}

// ungroupNeed takes need needID out of its group; a group left with one
// need is dissolved. A need in no group is store.ErrNotFound.
func ungroupNeed(ctx context.Context, db *store.DB, needID int64, actor access.Actor) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		group, members, err := groupOf(ctx, tx, needID)
		if err != nil {
			return err
		}
		if group == 0 {
			return store.NotFound("need group")
		}
		now := time.Now().UTC()
		leaving := []int64{needID}
		if len(members) <= 2 {
			leaving = members
		}
		for _, id := range leaving {
			if _, err := tx.ExecContext(ctx, `DELETE FROM need_group_members WHERE need_id = $1`, id); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "need.ungrouped",
				Subject: "need:" + strconv.FormatInt(id, 10), Details: map[string]any{"group": group}}); err != nil {
				return err
			}
		}
		if len(leaving) == len(members) {
			_, err = tx.ExecContext(ctx, `DELETE FROM need_groups WHERE id = $1`, group)
		}
		return err
	})
}
