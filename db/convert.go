package db

import (
	"database/sql"

	"ventanilla/app"
	"ventanilla/db/internal/sqlcgen"
)

func caseFromRow(r sqlcgen.Case) app.Case {
	n, _ := app.ParseRegistryNumber(r.RegistryNumber)
	return app.Case{
		ID:               r.ID,
		Number:           n,
		Kind:             app.CaseKind(r.Kind),
		Status:           app.CaseStatus(r.Status),
		Priority:         app.Priority(r.Priority),
		DepartmentID:     r.DepartmentID.String,
		AssigneeID:       r.AssigneeID.String,
		DirectoryEntryID: r.DirectoryEntryID.String,
		ProcedureTypeID:  r.ProcedureTypeID.String,
		ResidentID:       r.ResidentID.String,
		IdentityID:       r.IdentityID.String,
		Channel:          app.Channel(r.Channel),
		Network:          r.Network,
		ConversationID:   r.ConversationID,
		Title:            r.Title,
		Body:             r.Body,
		FlagUnverified:   r.FlagUnverified == 1,
		FlagPersonalData: r.FlagPersonalData == 1,
		TextInMessage:    r.TextInMessage == 1,
		Unread:           r.Unread == 1,
		OpenedAt:         parseTime(r.OpenedAt),
		DueAt:            fromNullTime(r.DueAt),
		FirstAnswerAt:    fromNullTime(r.FirstAnswerAt),
		ClosedAt:         fromNullTime(r.ClosedAt),
		MergedInto:       r.MergedInto.String,
		Version:          int(r.Version),
		CreatedAt:        parseTime(r.CreatedAt),
		UpdatedAt:        parseTime(r.UpdatedAt),
	}
}

func casesFromRows(rows []sqlcgen.Case) []app.Case {
	out := make([]app.Case, len(rows))
	for i, r := range rows {
		out[i] = caseFromRow(r)
	}
	return out
}

func eventFromRow(r sqlcgen.CaseEvent) app.CaseEvent {
	return app.CaseEvent{
		ID:               r.ID,
		CaseID:           r.CaseID,
		Kind:             app.EventKind(r.Kind),
		ActorStaffID:     r.ActorStaffID.String,
		InboundMessageID: r.InboundMessageID.String,
		OutboxID:         r.OutboxID.String,
		Body:             r.Body,
		OldValue:         r.OldValue,
		NewValue:         r.NewValue,
		CreatedAt:        parseTime(r.CreatedAt),
	}
}

func messageFromRow(r sqlcgen.InboundMessage) app.InboundMessage {
	return app.InboundMessage{
		ID:             r.ID,
		Network:        r.Network,
		MessageID:      r.MessageID,
		Channel:        app.Channel(r.Channel),
		AuthorUserID:   r.AuthorUserID,
		AuthorHandle:   r.AuthorHandle,
		AuthorName:     r.AuthorName,
		Text:           r.Text,
		ConversationID: r.ConversationID,
		InReplyToID:    r.InReplyToID,
		PostedAt:       parseTime(r.PostedAt),
		Raw:            r.Raw,
		CaseID:         r.CaseID.String,
		IdentityID:     r.IdentityID.String,
		Disposition:    app.Disposition(r.Disposition),
		CreatedAt:      parseTime(r.CreatedAt),
	}
}

func outboxFromRow(r sqlcgen.Outbox) app.OutboxItem {
	return app.OutboxItem{
		ID:              r.ID,
		Seq:             r.Seq,
		CaseID:          r.CaseID.String,
		PublicationID:   r.PublicationID.String,
		Kind:            app.OutboxKind(r.Kind),
		Network:         r.Network,
		InReplyToID:     r.InReplyToID,
		RecipientUserID: r.RecipientUserID,
		Text:            r.Text,
		Status:          app.OutboxStatus(r.Status),
		NetworkID:       r.NetworkID,
		Attempts:        int(r.Attempts),
		LastError:       r.LastError,
		NotBefore:       fromNullTime(r.NotBefore),
		SentAt:          fromNullTime(r.SentAt),
		CreatedBy:       r.CreatedBy.String,
		CreatedAt:       parseTime(r.CreatedAt),
		UpdatedAt:       parseTime(r.UpdatedAt),
	}
}

func outboxFromRows(rows []sqlcgen.Outbox) []app.OutboxItem {
	out := make([]app.OutboxItem, len(rows))
	for i, r := range rows {
		out[i] = outboxFromRow(r)
	}
	return out
}

func residentFrom(id, name string, doc sql.NullString, phone, email, address, notes, created, updated string, inCensus bool) app.Resident {
	return app.Resident{
		ID: id, FullName: name, Document: doc.String, Phone: phone, Email: email, Address: address,
		Notes: notes, InCensus: inCensus, CreatedAt: parseTime(created), UpdatedAt: parseTime(updated),
	}
}

func identityFromRow(r sqlcgen.Identity) app.Identity {
	return app.Identity{
		ID:                r.ID,
		Network:           r.Network,
		UserID:            r.UserID.String,
		Handle:            r.Handle,
		DisplayName:       r.DisplayName,
		ResidentID:        r.ResidentID.String,
		Level:             app.Level(r.Level),
		VerifiedAt:        fromNullTime(r.VerifiedAt),
		VerifiedBy:        r.VerifiedBy.String,
		VerifiedMethod:    r.VerifiedMethod,
		VerifiedMessageID: r.VerifiedMessageID,
		HandleChanged:     r.FlagHandleChanged == 1,
		Takeover:          r.FlagTakeover == 1,
		Lookalike:         r.FlagLookalike == 1,
		CreatedAt:         parseTime(r.CreatedAt),
		UpdatedAt:         parseTime(r.UpdatedAt),
	}
}

func staffFromRow(r sqlcgen.Staff) app.Staff {
	return app.Staff{
		ID: r.ID, Username: r.Username, FullName: r.FullName, Role: app.Role(r.Role),
		PasswordHash: r.PasswordHash, DepartmentID: r.DepartmentID.String, Active: r.Active == 1,
		CreatedAt: parseTime(r.CreatedAt), UpdatedAt: parseTime(r.UpdatedAt),
	}
}

func auditFromRow(r sqlcgen.AuditLog) app.AuditEntry {
	return app.AuditEntry{
		Seq: r.Seq, ID: r.ID, At: parseTime(r.At), Actor: r.Actor, Action: r.Action, Target: r.Target,
		Details: r.Details, PrevHash: r.PrevHash, Hash: r.Hash,
	}
}
