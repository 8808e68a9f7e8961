package db_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/verify"
	"ventanilla/db"
)

func TestVerificationTables(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st, err := db.Open(ctx, filepath.Join(t.TempDir(), "v.db"), db.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var resolved, pending app.Identity
	err = st.InTx(ctx, func(atx app.Tx) error {
		tx := atx.(verify.Tx)
		resolved = app.Identity{UserID: "100", Handle: "vecina", Level: app.LevelLinked}
		if err := tx.CreateIdentity(ctx, &resolved); err != nil {
			return err
		}
		if err := tx.AddHandleChange(ctx, resolved.ID, "vecina_antes", now.Add(-time.Hour)); err != nil {
			return err
		}
		pending = app.Identity{Handle: "pendiente", Level: app.LevelLinked}
		if err := tx.CreateIdentity(ctx, &pending); err != nil {
			return err
		}
		c := verify.ChallengeRecord{IdentityID: resolved.ID, Code: "V-7K4Q9X", ExpiresAt: now.Add(30 * time.Minute)}
		if err := tx.CreateChallenge(ctx, &c); err != nil {
			return err
		}
		c.Status, c.UsedMessageID = verify.ChallengeUsed, "m1"
		if err := tx.UpdateChallenge(ctx, &c); err != nil {
			return err
		}
		for _, o := range []verify.Outcome{verify.OutcomeWrongCode, verify.OutcomeVerified} {
			if err := tx.AddAttempt(ctx, &verify.Attempt{IdentityID: resolved.ID, UserID: "100", MessageID: "m", Outcome: o}); err != nil {
				return err
			}
		}
		if err := tx.PutCensusEntry(ctx, verify.CensusEntry{Document: "00000000T", FullName: "Vecina Prueba"}, "b1"); err != nil {
			return err
		}
		if err := tx.PutCensusEntry(ctx, verify.CensusEntry{Document: "00000000T", FullName: "Vecina Prueba Bis"}, "b2"); err != nil {
			return err
		}
		if err := tx.DeletePendingIdentity(ctx, resolved.ID); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("deleting a resolved identity: got %v, want ErrNotFound", err)
		}
		return tx.DeletePendingIdentity(ctx, pending.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	chs, err := st.FindChallengesByCode(ctx, "V-7K4Q9X")
	if err != nil || len(chs) != 1 || chs[0].Status != verify.ChallengeUsed || chs[0].UsedMessageID != "m1" {
		t.Fatalf("got %+v, %v, want one used challenge", chs, err)
	}
	if n, err := st.CountFailedAttempts(ctx, resolved.ID, now.Add(-time.Hour)); err != nil || n != 1 {
		t.Fatalf("got %d failed attempts (%v), want 1", n, err)
	}
	past, err := st.ListIdentitiesWithPastHandle(ctx, "x", "@VECINA_ANTES")
	if err != nil || len(past) != 1 || past[0].ID != resolved.ID {
		t.Fatalf("got %+v, %v, want the identity seen with the old handle", past, err)
	}
	if p, err := st.ListPendingIdentities(ctx, "x"); err != nil || len(p) != 0 {
		t.Fatalf("got %d pending (%v), want 0", len(p), err)
	}
}
