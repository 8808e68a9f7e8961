package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// AuditGenesis is the previous hash of the first audit entry.
const AuditGenesis = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditHash is the hash of an entry chained to the previous one. Every field that states what
// happened is covered, so editing, inserting or deleting a row breaks the chain after it.
func AuditHash(prevHash string, e AuditEntry) string {
	h := sha256.New()
	for _, f := range []string{prevHash, e.ID, e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.Target, e.Details} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyAuditChain checks that entries (in sequence order) form an unbroken chain from the
// genesis hash. It names the first entry where the chain breaks.
func VerifyAuditChain(entries []AuditEntry) error {
	prev := AuditGenesis
	var prevSeq int64
	for i, e := range entries {
		if i == 0 && e.Seq != 1 {
			return fmt.Errorf("audit log: the first entry is %d, not 1: rows at the start are missing", e.Seq)
		}
		if i > 0 && e.Seq != prevSeq+1 {
			return fmt.Errorf("audit log: entry %d follows entry %d: a row is missing", e.Seq, prevSeq)
		}
		if e.PrevHash != prev {
			return fmt.Errorf("audit log: entry %d does not point at the entry before it: the log was altered", e.Seq)
		}
		if want := AuditHash(prev, e); e.Hash != want {
			return fmt.Errorf("audit log: entry %d does not match its hash: it was edited", e.Seq)
		}
		prev, prevSeq = e.Hash, e.Seq
	}
	return nil
}

// CheckAudit verifies the whole audit log in r, including that no newest entry was removed.
func CheckAudit(ctx context.Context, r Reader) (int, error) {
	entries, err := r.ListAuditEntries(ctx)
	if err != nil {
		return 0, err
	}
	if err := VerifyAuditChain(entries); err != nil {
		return len(entries), err
	}
	high, err := r.AuditHighWater(ctx)
	if err != nil {
		return len(entries), err
	}
	var last int64
	if len(entries) > 0 {
		last = entries[len(entries)-1].Seq
	}
	if high != last {
		return len(entries), fmt.Errorf("audit log: entries up to %d were written but the log ends at %d: the newest rows were removed", high, last)
	}
	return len(entries), nil
}
