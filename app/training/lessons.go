// Package training is the digital-literacy mode: a sandbox town hall (its own database and the
// simulated network, in-process; nothing reaches the real network or the real register), a
// simulated phone through which a trainee posts and sends direct messages as a resident, five
// guided lessons whose checks look at what really happened in the sandbox (the message reached
// the register, opened the right kind of case, verified the account…), each trainee's progress
// by name, a trainer's reset that wipes the sandbox, and a printable one-page summary.
//
// Visible text is not here: lessons name translation keys (assets/training/*.json) that the ui
// translates.
package training

import (
	"context"
	"errors"
	"strings"

	"ventanilla/app"
	"ventanilla/app/verify"
)

// LessonID names a lesson.
type LessonID string

const (
	LessonMention   LessonID = "mention"
	LessonIncident  LessonID = "incident"
	LessonVerify    LessonID = "verify"
	LessonProcedure LessonID = "procedure"
	LessonFollow    LessonID = "follow"
)

// Action is what the phone step asks the trainee to do.
type Action string

const (
	ActionPost        Action = "post"         // write a public post
	ActionDM          Action = "dm"           // send a direct message to the town hall
	ActionRequestCode Action = "request_code" // ask the counter for a verification code
)

// Step is one instruction. Key names its text ("training.<lesson>.step<N>"); Example, when set,
// names a sample text the phone can fill in; Action is what the phone should be ready for.
type Step struct {
	Key     string
	Example string
	Action  Action
}

// Lesson is one guided lesson: a title, a one-line aim, its steps in order, and what makes it
// done (checked against the sandbox after the last step).
type Lesson struct {
	ID       LessonID
	Number   int
	TitleKey string
	AimKey   string
	Steps    []Step
	// DoneKey names the message shown once the check passes.
	DoneKey string
}

func lesson(n int, id LessonID, steps ...Step) Lesson {
	p := "training." + string(id) + "."
	for i := range steps {
		steps[i].Key = p + "step" + string(rune('1'+i))
		if steps[i].Example != "" {
			steps[i].Example = p + "example"
		}
	}
	return Lesson{ID: id, Number: n, TitleKey: p + "title", AimKey: p + "aim", Steps: steps, DoneKey: p + "done"}
}

// Lessons are the five lessons, in order. The kiosk shows them read-only.
var Lessons = []Lesson{
	lesson(1, LessonMention, Step{}, Step{}, Step{Example: "x", Action: ActionPost}),
	lesson(2, LessonIncident, Step{}, Step{Example: "x", Action: ActionPost}, Step{}),
	lesson(3, LessonVerify, Step{}, Step{Action: ActionRequestCode}, Step{Action: ActionDM}),
	lesson(4, LessonProcedure, Step{}, Step{Example: "x", Action: ActionDM}, Step{}),
	lesson(5, LessonFollow, Step{}, Step{Action: ActionDM}, Step{}),
}

// LessonByID finds a lesson.
func LessonByID(id LessonID) (Lesson, bool) {
	for _, l := range Lessons {
		if l.ID == id {
			return l, true
		}
	}
	return Lesson{}, false
}

// sent is a message the trainee sent through the phone, as the check sees it once synced.
type sent struct {
	PhoneMessage
	in app.InboundMessage
	c  app.Case // zero when the message opened or joined no case
}

// check reports whether the lesson is done, judging only by what reached the sandbox's
// register from the trainee's messages in msgs (those sent since the lesson started).
func (s *Sandbox) check(ctx context.Context, id LessonID, t Trainee, msgs []PhoneMessage) (bool, error) {
	env := s.env()
	var got []sent
	for _, m := range msgs {
		if !m.FromTrainee {
			continue
		}
		in, err := env.Store.GetInboundMessage(ctx, "x", m.ID)
		if errors.Is(err, app.ErrNotFound) {
			continue // not synced yet
		}
		if err != nil {
			return false, err
		}
		x := sent{PhoneMessage: m, in: in}
		if in.CaseID != "" {
			if x.c, err = env.Store.GetCase(ctx, in.CaseID); err != nil {
				return false, err
			}
		}
		got = append(got, x)
	}
	for _, m := range got {
		switch id {
		case LessonMention:
			if m.in.Channel == app.ChannelMention {
				return true, nil
			}
		case LessonIncident:
			if m.in.Channel == app.ChannelMention && m.c.Kind == app.KindIncident && hasHashtag(m.Text, "incidencia") {
				return true, nil
			}
		case LessonVerify:
			if m.Kind == ActionDM && m.in.Disposition == app.DispositionVerification {
				st, err := env.Verify.Status(ctx, t.Handle)
				if err != nil && !errors.Is(err, app.ErrNotFound) {
					return false, err
				}
				if err == nil && st.Level.AtLeast(app.LevelVerified) && st.LastChallenge != nil && st.LastChallenge.Status == verify.ChallengeUsed {
					return true, nil
				}
			}
		case LessonProcedure:
			if m.Kind == ActionDM && m.in.Disposition == app.DispositionNewCase && m.c.Kind == app.KindProcedure {
				return true, nil
			}
		case LessonFollow:
			if m.in.Disposition == app.DispositionJoinedCase && m.c.ID != "" &&
				strings.Contains(strings.ToUpper(m.Text), m.c.Number.String()) {
				return true, nil
			}
		}
	}
	return false, nil
}

func hasHashtag(text, tag string) bool {
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return r == ' ' || r == '\n' || r == ',' || r == '.' || r == '!' || r == '?'
	}) {
		if f == "#"+tag {
			return true
		}
	}
	return false
}
