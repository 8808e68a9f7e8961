// Package calendar computes administrative deadlines the way Spanish law counts them (Ley
// 39/2015, arts. 30 and 31): working days exclude Saturdays, Sundays and the national,
// regional and local holidays the town hall configures, in the Europe/Madrid calendar; month
// deadlines fall on the same day number, or the month's last day, moved to the next working
// day. It also supplies Spain's national holidays and Andalusia's regional ones for any year,
// Easter included, as a starting list the town hall completes with its two local holidays.
package calendar

import (
	"fmt"
	"sort"
	"time"

	"ventanilla/app"
)

// Holiday is a non-working day in the Madrid calendar (the register's own type).
type Holiday = app.Holiday

// Scopes of a holiday.
const (
	ScopeNational = "national"
	ScopeRegional = "regional"
	ScopeLocal    = "local"
)

// dayLayout is how a Holiday names its day.
const dayLayout = "2006-01-02"

// Calendar answers working-day questions for one set of holidays. It is immutable after New
// and safe for concurrent use.
type Calendar struct {
	holidays map[int]Holiday // by dayKey of Day; a day that is a holiday twice keeps the first name
}

// dayKey numbers a calendar day as YYYYMMDD: deadlines look up every day they step over, and
// a number is cheaper to build than the day's text.
func dayKey(y int, m time.Month, d int) int { return y*10000 + int(m)*100 + d }

// New builds a calendar from holidays. Entries whose Day is not a YYYY-MM-DD date are ignored:
// they are validated where staff type them, and a deadline must still be computed.
func New(holidays []Holiday) *Calendar {
	c := &Calendar{holidays: make(map[int]Holiday, len(holidays))}
	for _, h := range holidays {
		d, err := time.Parse(dayLayout, h.Day)
		if err != nil {
			continue
		}
		key := dayKey(d.Date())
		if _, dup := c.holidays[key]; !dup {
			h.Day = d.Format(dayLayout)
			c.holidays[key] = h
		}
	}
	return c
}

// Holiday returns the holiday that falls on t's Madrid calendar day, if any.
func (c *Calendar) Holiday(t time.Time) (Holiday, bool) {
	h, ok := c.holidays[dayKey(t.In(app.Madrid).Date())]
	return h, ok
}

// IsWorkingDay reports whether t falls, in Madrid, on a weekday that is not a holiday.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	d := t.In(app.Madrid)
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := c.holidays[dayKey(d.Date())]
	return !holiday
}

// AddWorkingDays returns the deadline n working days after a document received at from: the
// last second (23:59:59 Madrid time) of the n-th working day after the day of receipt, in UTC.
//
// Convention (Ley 39/2015): the count starts on the day after receipt (art. 30.3), and a
// document received on a non-working day counts as received on the next working day (art.
// 31.2.b), so a case that arrives on Saturday with n = 1 is due at the end of Tuesday (if
// Monday and Tuesday are working days). n <= 0 gives the end of the (effective) day of receipt.
func (c *Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	day := c.nextWorkingDay(midday(from))
	for ; n > 0; n-- {
		day = c.nextWorkingDay(day.AddDate(0, 0, 1))
	}
	return endOfDay(day)
}

// AddMonths returns the deadline n months after from: the last second (23:59:59 Madrid time)
// of the day with the same number n months later, or of that month's last day when it is
// shorter, moved on to the next working day when that day is not one (Ley 39/2015, art.
// 30.4). The day of receipt is from's Madrid calendar day as it is, working or not. The
// result is in UTC.
func (c *Calendar) AddMonths(from time.Time, n int) time.Time {
	d := from.In(app.Madrid)
	first := time.Date(d.Year(), d.Month()+time.Month(n), 1, 12, 0, 0, 0, app.Madrid)
	last := first.AddDate(0, 1, -1).Day()
	day := min(d.Day(), last)
	target := time.Date(first.Year(), first.Month(), day, 12, 0, 0, 0, app.Madrid)
	return endOfDay(c.nextWorkingDay(target))
}

// nextWorkingDay returns day if it is a working day, or the first working day after it. day
// must be noon in Madrid so that stepping by calendar days never trips over a DST change.
func (c *Calendar) nextWorkingDay(day time.Time) time.Time {
	// A year has far fewer than 400 consecutive non-working days; the bound only stops a
	// calendar in which every day was made a holiday from looping for ever.
	for i := 0; i < 400 && !c.IsWorkingDay(day); i++ {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// midday returns noon of t's Madrid calendar day.
func midday(t time.Time) time.Time {
	d := t.In(app.Madrid)
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, app.Madrid)
}

// endOfDay returns the last second of t's Madrid calendar day, in UTC.
func endOfDay(t time.Time) time.Time {
	d := t.In(app.Madrid)
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, app.Madrid).UTC()
}

// Easter returns Easter Sunday of year in the Gregorian calendar (the anonymous Gregorian
// algorithm, also known as Meeus/Jones/Butcher), at midnight UTC.
func Easter(year int) time.Time {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// DefaultHolidays returns, sorted by day, Spain's national holidays and Andalusia's regional
// ones for year: the ten national days including Good Friday, and Andalusia's Día de
// Andalucía (28 February) and Maundy Thursday. Following Andalusia's usual practice, a
// national or regional holiday that falls on a Sunday is moved to the following Monday (as
// 2 November and 7 December 2026). Each year's official list (BOE for the State, BOJA for
// the Junta) can still differ, and the town's two local holidays are not included: the
// town hall reviews and completes this list in settings.
func DefaultHolidays(year int) []Holiday {
	date := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	easter := Easter(year)
	type fixed struct {
		day   time.Time
		name  string
		scope string
	}
	list := []fixed{
		{date(time.January, 1), "Año Nuevo", ScopeNational},
		{date(time.January, 6), "Epifanía del Señor", ScopeNational},
		{date(time.February, 28), "Día de Andalucía", ScopeRegional},
		{easter.AddDate(0, 0, -3), "Jueves Santo", ScopeRegional},
		{easter.AddDate(0, 0, -2), "Viernes Santo", ScopeNational},
		{date(time.May, 1), "Fiesta del Trabajo", ScopeNational},
		{date(time.August, 15), "Asunción de la Virgen", ScopeNational},
		{date(time.October, 12), "Fiesta Nacional de España", ScopeNational},
		{date(time.November, 1), "Todos los Santos", ScopeNational},
		{date(time.December, 6), "Día de la Constitución Española", ScopeNational},
		{date(time.December, 8), "Inmaculada Concepción", ScopeNational},
		{date(time.December, 25), "Natividad del Señor", ScopeNational},
	}
	taken := map[string]bool{}
	for _, f := range list {
		taken[f.day.Format(dayLayout)] = true
	}
	var out []Holiday
	for _, f := range list {
		out = append(out, Holiday{Day: f.day.Format(dayLayout), Name: f.name, Scope: f.scope})
		if f.day.Weekday() == time.Sunday {
			monday := f.day.AddDate(0, 0, 1)
			if key := monday.Format(dayLayout); !taken[key] {
				taken[key] = true
				out = append(out, Holiday{
					Day:   key,
					Name:  fmt.Sprintf("%s (traslado al lunes)", f.name),
					Scope: ScopeRegional,
				})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out
}
