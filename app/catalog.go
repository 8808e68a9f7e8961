package app

import "time"

// DirectoryEntry is an official account residents can write to: a councillor, an employee or
// a department. Official marks the town hall's own accounts, whose posts never open cases.
type DirectoryEntry struct {
	ID             string
	Kind           string // councillor, employee, department
	Name           string
	Position       string
	DepartmentID   string
	DepartmentName string
	StaffID        string
	Network        string
	Handle         string
	UserID         string
	Official       bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// ProcedureType is an entry of the procedure catalogue.
type ProcedureType struct {
	ID            string
	Code          string
	NameES        string
	NameEN        string
	Keywords      []string
	DepartmentID  string
	DeadlineValue int    // 0: the general rule applies
	DeadlineUnit  string // working_days or months
}

// IntakeRule is a stored classification rule, evaluated in ascending Priority.
type IntakeRule struct {
	ID              string
	Priority        int
	Name            string
	Channel         string // any, mention, dm
	Hashtags        []string
	Mentions        []string
	Keywords        []string
	Action          string // case, ignore
	Kind            CaseKind
	DepartmentID    string
	ProcedureTypeID string
	Enabled         bool
}

// Template is a message text with placeholders, per key and language.
type Template struct {
	ID   string
	Key  string
	Lang string
	Body string
}

// Holiday is a non-working day of the calendar.
type Holiday struct {
	Day   string // YYYY-MM-DD
	Name  string
	Scope string // national, regional, local
}
