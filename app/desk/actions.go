package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"ventanilla/app"
)

// Assign gives a case to an active staff member ("" unassigns it). Like every action below
// that changes a case, it is refused (ConflictError) when the case changed since seen was
// taken (see CaseToken).
func (s *Service) Assign(ctx context.Context, sess *Session, caseID string, seen CaseToken, staffID string) error {
	return s.act(ctx, sess, caseID, seen, "case.assign", func(tx Tx, c *app.Case) (string, error) {
		if staffID != "" {
			st, err := tx.GetStaff(ctx, staffID)
			if err != nil {
				return "", err
			}
			if !st.Active {
				return "", app.Invalid("assignee", "%s's account is deactivated", st.FullName)
			}
		}
		if c.AssigneeID == staffID {
			return "unchanged", nil
		}
		old := c.AssigneeID
		c.AssigneeID = staffID
		if err := tx.UpdateCase(ctx, c); err != nil {
			return "", err
		}
		return old + " -> " + staffID, tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventAssignment, ActorStaffID: sess.staff.ID, OldValue: old, NewValue: staffID})
	})
}

// Priorities lists the priorities in display order.
var Priorities = []app.Priority{app.PriorityLow, app.PriorityNormal, app.PriorityHigh, app.PriorityUrgent}

// SetPriority changes a case's priority.
func (s *Service) SetPriority(ctx context.Context, sess *Session, caseID string, seen CaseToken, p app.Priority) error {
	valid := false
	for _, q := range Priorities {
		valid = valid || q == p
	}
	if !valid {
		return app.Invalid("priority", "unknown priority %q", p)
	}
	return s.act(ctx, sess, caseID, seen, "case.priority", func(tx Tx, c *app.Case) (string, error) {
		if c.Priority == p {
			return "unchanged", nil
		}
		old := c.Priority
		c.Priority = p
		if err := tx.UpdateCase(ctx, c); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s -> %s", old, p), tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventPriority, ActorStaffID: sess.staff.ID, OldValue: string(old), NewValue: string(p)})
	})
}

// SetDepartment routes a case to another department.
func (s *Service) SetDepartment(ctx context.Context, sess *Session, caseID string, seen CaseToken, departmentID string) error {
	return s.act(ctx, sess, caseID, seen, "case.department", func(tx Tx, c *app.Case) (string, error) {
		if c.DepartmentID == departmentID {
			return "unchanged", nil
		}
		old := c.DepartmentID
		c.DepartmentID = departmentID
		if err := tx.UpdateCase(ctx, c); err != nil {
			return "", err
		}
		return old + " -> " + departmentID, tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventDepartment, ActorStaffID: sess.staff.ID, OldValue: old, NewValue: departmentID})
	})
}

// Merge folds a case into another (a duplicate, or the same matter from another message):
// the merged case leaves the inbox and both timelines say so. Nothing is deleted.
func (s *Service) Merge(ctx context.Context, sess *Session, caseID string, seen CaseToken, intoNumber string) error {
	n, err := app.ParseRegistryNumber(intoNumber)
	if err != nil {
		return err
	}
	return s.act(ctx, sess, caseID, seen, "case.merge", func(tx Tx, c *app.Case) (string, error) {
		target, err := tx.GetCaseByNumber(ctx, n)
		if err != nil {
			return "", err
		}
		if _, err := s.caseFor(ctx, tx, sess, target.ID); err != nil {
			return "", err
		}
		if target.ID == c.ID {
			return "", app.Invalid("into", "a case cannot be merged into itself")
		}
		if target.MergedInto != "" {
			return "", app.Invalid("into", "%s was itself merged into another case", target.Number)
		}
		if c.MergedInto != "" {
			return "", app.Invalid("into", "%s is already merged", c.Number)
		}
		c.MergedInto = target.ID
		c.Unread = false
		if err := tx.UpdateCase(ctx, c); err != nil {
			return "", err
		}
		if err := tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventMerge, ActorStaffID: sess.staff.ID, NewValue: target.Number.String()}); err != nil {
			return "", err
		}
		if err := tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: target.ID, Kind: app.EventMerge, ActorStaffID: sess.staff.ID, OldValue: c.Number.String()}); err != nil {
			return "", err
		}
		return "into " + target.Number.String(), nil
	})
}

// MarkRead marks a case read (or unread again).
func (s *Service) MarkRead(ctx context.Context, sess *Session, caseID string, read bool) error {
	if err := s.require(sess, PermCases); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		c, err := s.caseFor(ctx, tx, sess, caseID)
		if err != nil {
			return err
		}
		if c.Unread == !read {
			return nil
		}
		c.Unread = !read
		if err := tx.UpdateCase(ctx, &c); err != nil {
			return err
		}
		action := "case.mark_read"
		if !read {
			action = "case.mark_unread"
		}
		return audit(ctx, tx, sess.actor(), action, c.ID, c.Number.String())
	})
}

// RetryOutbox puts a failed outgoing message back in the queue.
func (s *Service) RetryOutbox(ctx context.Context, sess *Session, outboxID string) error {
	if err := s.require(sess, PermCases); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		o, err := tx.GetOutboxItem(ctx, outboxID)
		if err != nil {
			return err
		}
		if o.CaseID != "" {
			if _, err := s.caseFor(ctx, tx, sess, o.CaseID); err != nil {
				return err
			}
		} else if !sess.Can(PermSettings) {
			return fmt.Errorf("retry a publication: %w", app.ErrForbidden)
		}
		if o.Status != app.OutboxFailed {
			return app.Invalid("outbox", "only a failed message can be retried; this one is %s", o.Status)
		}
		o.Status = app.OutboxPending
		o.NotBefore = time.Time{} // now
		if err := tx.UpdateOutbox(ctx, &o); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "outbox.retry", o.ID, "was: "+o.LastError)
	})
}

// Templates lists the reply templates in a language ("es", "en").
func (s *Service) Templates(ctx context.Context, sess *Session, lang string) ([]Template, error) {
	if err := s.require(sess, PermCases); err != nil {
		return nil, err
	}
	return s.store.ListTemplates(ctx, lang)
}

// Directory lists the town hall's official accounts.
func (s *Service) Directory(ctx context.Context, sess *Session) ([]DirectoryEntry, error) {
	if err := s.require(sess, PermDirectory); err != nil {
		return nil, err
	}
	return s.store.ListDirectoryEntries(ctx)
}

// AddDirectoryEntry adds an official account to the directory (admin).
func (s *Service) AddDirectoryEntry(ctx context.Context, sess *Session, e DirectoryEntry) (DirectoryEntry, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return e, err
	}
	e.Name, e.Handle = strings.TrimSpace(e.Name), strings.TrimPrefix(strings.TrimSpace(e.Handle), "@")
	if e.Name == "" {
		return e, app.Invalid("name", "the name is required")
	}
	if e.Kind != "councillor" && e.Kind != "employee" && e.Kind != "department" {
		return e, app.Invalid("kind", "unknown directory kind %q", e.Kind)
	}
	err := s.inTx(ctx, func(tx Tx) error {
		if err := tx.CreateDirectoryEntry(ctx, &e); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "directory.add", e.ID, e.Name)
	})
	return e, err
}

// Departments lists the departments.
func (s *Service) Departments(ctx context.Context, sess *Session) ([]app.Department, error) {
	if err := s.require(sess, PermDirectory); err != nil {
		return nil, err
	}
	return s.store.ListDepartments(ctx)
}

// AddDepartment creates a department (admin).
func (s *Service) AddDepartment(ctx context.Context, sess *Session, code, name string) (app.Department, error) {
	d := app.Department{Code: strings.TrimSpace(code), Name: strings.TrimSpace(name)}
	if err := s.require(sess, PermSettings); err != nil {
		return d, err
	}
	if d.Code == "" || d.Name == "" {
		return d, app.Invalid("department", "a department needs a code and a name")
	}
	err := s.inTx(ctx, func(tx Tx) error {
		if err := tx.CreateDepartment(ctx, &d); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "department.add", d.ID, d.Code)
	})
	return d, err
}

// Setting reads a setting (admin); "" when unset.
func (s *Service) Setting(ctx context.Context, sess *Session, key string) (string, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return "", err
	}
	v, err := s.store.GetSetting(ctx, key)
	if err != nil && !isNotFound(err) {
		return "", err
	}
	return v, nil
}

// PutSetting saves a setting (admin).
func (s *Service) PutSetting(ctx context.Context, sess *Session, key, value string) error {
	if err := s.require(sess, PermSettings); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		if err := tx.PutSetting(ctx, key, value); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "setting.put", key, value)
	})
}

// Backup runs do (the store's online backup) to path after checking the session may, and
// records it in the audit log. The network credentials are left out of the copy: a backup
// kept on a USB stick or a shared drive must not let anyone post as the town hall.
func (s *Service) Backup(ctx context.Context, sess *Session, path string, do func(ctx context.Context, path string, omitSettings []string) error) error {
	if err := s.require(sess, PermSettings); err != nil {
		return err
	}
	if do == nil {
		return fmt.Errorf("backup: not available in this mode")
	}
	if err := do(ctx, path, slices.Clone(credentialKeys)); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error { return audit(ctx, tx, sess.actor(), "backup", path, "") })
}

// AuditLog returns the audit log and whether its hash chain is intact (admin).
func (s *Service) AuditLog(ctx context.Context, sess *Session) ([]app.AuditEntry, error, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return nil, nil, err
	}
	entries, err := s.store.ListAuditEntries(ctx)
	if err != nil {
		return nil, nil, err
	}
	_, chainErr := app.CheckAudit(ctx, s.store)
	return entries, chainErr, nil
}
