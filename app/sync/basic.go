package sync

import (
	"context"
	"errors"
	"fmt"

	"ventanilla/app"
	"ventanilla/app/network"
)

// BasicIntake is the minimal intake: a reply in the thread of a case, or a DM in a conversation
// with an open case, joins that case; anything else opens a query case with one acknowledgement
// carrying its registry number (a public reply to a mention, a DM to a DM). The full rules live
// in app/intake; this one keeps the engine useful and testable on its own.
type BasicIntake struct{}

// Accept implements Intake.
func (BasicIntake) Accept(ctx context.Context, tx app.Tx, m *app.InboundMessage, owner network.User) (bool, error) {
	if c, ok, err := ThreadCase(ctx, tx, *m); err != nil {
		return false, err
	} else if ok {
		return false, JoinCase(ctx, tx, m, c)
	}
	c := app.Case{Kind: app.KindQuery, Channel: m.Channel, Network: m.Network, ConversationID: m.ConversationID,
		Body: m.Text, Unread: true, OpenedAt: m.PostedAt, FlagUnverified: true}
	if err := tx.CreateCase(ctx, &c); err != nil {
		return false, err
	}
	m.CaseID, m.Disposition = c.ID, app.DispositionNewCase
	if err := StoreMessage(ctx, tx, m); err != nil {
		return false, err
	}
	text := fmt.Sprintf("Hemos recibido su mensaje con el número de registro %s. Le responderemos lo antes posible. Ayuntamiento.", c.Number)
	return true, QueueAck(ctx, tx, c, *m, text, m.Channel == app.ChannelDM)
}

// StoreMessage stores a new inbound message with its disposition, case and identity already
// decided: one INSERT, where storing it first and recording the outcome after cost an UPDATE
// of the row and two of its indexes per message. A message already stored is an error: the
// engine checks before intake runs.
func StoreMessage(ctx context.Context, tx app.Tx, m *app.InboundMessage) error {
	inserted, err := tx.InsertInboundMessage(ctx, m)
	if err != nil {
		return err
	}
	if !inserted {
		return fmt.Errorf("store message %s: %w", m.MessageID, app.ErrConflict)
	}
	return nil
}

// ThreadCase finds the case an inbound message continues: the case of the post it replies to
// (the resident's own or the town hall's answer), or for a DM the open case of its conversation.
func ThreadCase(ctx context.Context, tx app.Tx, m app.InboundMessage) (app.Case, bool, error) {
	if m.InReplyToID != "" {
		c, err := tx.FindCaseByMessage(ctx, m.Network, m.InReplyToID)
		if err == nil {
			return followMerge(ctx, tx, c)
		}
		if !errors.Is(err, app.ErrNotFound) {
			return app.Case{}, false, err
		}
	}
	if m.Channel == app.ChannelDM && m.ConversationID != "" {
		c, err := tx.FindOpenCaseByConversation(ctx, m.Network, m.ConversationID)
		if err == nil {
			return followMerge(ctx, tx, c)
		}
		if !errors.Is(err, app.ErrNotFound) {
			return app.Case{}, false, err
		}
	}
	return app.Case{}, false, nil
}

func followMerge(ctx context.Context, tx app.Tx, c app.Case) (app.Case, bool, error) {
	for i := 0; i < 10 && c.MergedInto != ""; i++ {
		next, err := tx.GetCase(ctx, c.MergedInto)
		if err != nil {
			return app.Case{}, false, err
		}
		c = next
	}
	return c, true, nil
}

// JoinCase attaches m to c: stored with the case's id (the message is its own entry on the
// case's timeline), and the case marked unread.
func JoinCase(ctx context.Context, tx app.Tx, m *app.InboundMessage, c app.Case) error {
	m.CaseID, m.Disposition = c.ID, app.DispositionJoinedCase
	if err := StoreMessage(ctx, tx, m); err != nil {
		return err
	}
	if !c.Unread {
		c.Unread = true
		return tx.UpdateCase(ctx, &c)
	}
	return nil
}

// QueueAck queues an acknowledgement for case c in reply to m: by DM when byDM (or when m was
// a DM), otherwise as a public reply to m. The outbox row is its entry on the case's timeline
// (the desk lists a case's outbox rows without an event of their own).
func QueueAck(ctx context.Context, tx app.Tx, c app.Case, m app.InboundMessage, text string, byDM bool) error {
	o := app.OutboxItem{CaseID: c.ID, Network: m.Network, Text: text}
	if byDM || m.Channel == app.ChannelDM {
		o.Kind, o.RecipientUserID = app.OutboxDM, m.AuthorUserID
	} else {
		o.Kind, o.InReplyToID = app.OutboxReply, m.MessageID
	}
	return tx.EnqueueOutbox(ctx, &o)
}
