package calendar

import (
	"testing"
	"time"

	"ventanilla/app"
)

// madrid builds a Madrid wall-clock time.
func madrid(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, app.Madrid)
	if err != nil {
		panic(err)
	}
	return t
}

// endOf is the expected deadline: 23:59:59 Madrid time on day, in UTC.
func endOf(day string) time.Time {
	return madrid(day + " 23:59").Add(59 * time.Second).UTC()
}

func TestEaster(t *testing.T) {
	tests := []struct {
		year int
		want string
	}{
		{1961, "1961-04-02"}, {2000, "2000-04-23"}, {2008, "2008-03-23"}, {2019, "2019-04-21"},
		{2024, "2024-03-31"}, {2025, "2025-04-20"}, {2026, "2026-04-05"}, {2027, "2027-03-28"},
		{2038, "2038-04-25"}, {2285, "2285-03-22"},
	}
	for _, tt := range tests {
		if got := Easter(tt.year).Format(dayLayout); got != tt.want {
			t.Errorf("Easter(%d) = %s, want %s", tt.year, got, tt.want)
		}
	}
}

func TestDefaultHolidays(t *testing.T) {
	tests := []struct {
		year int
		want []string // every day, sorted
	}{
		{2025, []string{"2025-01-01", "2025-01-06", "2025-02-28", "2025-04-17", "2025-04-18", "2025-05-01",
			"2025-08-15", "2025-10-12", "2025-10-13", "2025-11-01", "2025-12-06", "2025-12-08", "2025-12-25"}},
		{2026, []string{"2026-01-01", "2026-01-06", "2026-02-28", "2026-04-02", "2026-04-03", "2026-05-01",
			"2026-08-15", "2026-10-12", "2026-11-01", "2026-11-02", "2026-12-06", "2026-12-07", "2026-12-08", "2026-12-25"}},
		{2027, []string{"2027-01-01", "2027-01-06", "2027-02-28", "2027-03-01", "2027-03-25", "2027-03-26",
			"2027-05-01", "2027-08-15", "2027-08-16", "2027-10-12", "2027-11-01", "2027-12-06", "2027-12-08", "2027-12-25"}},
	}
	for _, tt := range tests {
		got := DefaultHolidays(tt.year)
		var days []string
		for _, h := range got {
			days = append(days, h.Day)
			if h.Name == "" || (h.Scope != ScopeNational && h.Scope != ScopeRegional) {
				t.Errorf("DefaultHolidays(%d): %+v, want a name and a national or regional scope", tt.year, h)
			}
		}
		if len(days) != len(tt.want) {
			t.Errorf("DefaultHolidays(%d) days = %v, want %v", tt.year, days, tt.want)
			continue
		}
		for i := range days {
			if days[i] != tt.want[i] {
				t.Errorf("DefaultHolidays(%d)[%d] = %s, want %s", tt.year, i, days[i], tt.want[i])
			}
		}
	}
	for _, h := range DefaultHolidays(2026) {
		if h.Day == "2026-02-28" && (h.Name != "Día de Andalucía" || h.Scope != ScopeRegional) {
			t.Errorf("28 Feb 2026 = %+v, want Día de Andalucía, regional", h)
		}
		if h.Day == "2026-04-03" && (h.Name != "Viernes Santo" || h.Scope != ScopeNational) {
			t.Errorf("3 Apr 2026 = %+v, want Viernes Santo, national", h)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	cal := New(append(DefaultHolidays(2026), Holiday{Day: "2026-09-14", Name: "Fiesta local", Scope: ScopeLocal}))
	tests := []struct {
		at   time.Time
		want bool
	}{
		{madrid("2026-03-02 10:00"), true},  // Monday
		{madrid("2026-03-07 10:00"), false}, // Saturday
		{madrid("2026-03-08 10:00"), false}, // Sunday
		{madrid("2026-01-06 10:00"), false}, // Epifanía
		{madrid("2026-04-02 10:00"), false}, // Jueves Santo
		{madrid("2026-04-06 10:00"), true},  // Easter Monday is not a holiday in Andalusia
		{madrid("2026-09-14 10:00"), false}, // local holiday
		{madrid("2026-12-07 10:00"), false}, // Constitución moved from Sunday
		// 23:30 UTC on 5 January is 00:30 on the 6th in Madrid: a holiday.
		{time.Date(2026, 1, 5, 23, 30, 0, 0, time.UTC), false},
		// 23:30 UTC on 6 January is 00:30 on Wednesday the 7th in Madrid.
		{time.Date(2026, 1, 6, 23, 30, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		if got := cal.IsWorkingDay(tt.at); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.at.In(app.Madrid).Format("Mon 2006-01-02 15:04"), got, tt.want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	var hs []Holiday
	for y := 2025; y <= 2027; y++ {
		hs = append(hs, DefaultHolidays(y)...)
	}
	cal := New(hs)
	tests := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"weekday", madrid("2026-03-02 09:00"), 1, endOf("2026-03-03")},
		{"over a weekend", madrid("2026-03-05 18:00"), 3, endOf("2026-03-10")},
		{"ten days", madrid("2026-03-02 09:00"), 10, endOf("2026-03-16")},
		{"received Saturday", madrid("2026-03-07 11:00"), 1, endOf("2026-03-10")},
		{"received Sunday", madrid("2026-03-08 11:00"), 1, endOf("2026-03-10")},
		{"zero is end of receipt day", madrid("2026-03-02 09:00"), 0, endOf("2026-03-02")},
		{"zero on a Saturday is end of Monday", madrid("2026-03-07 09:00"), 0, endOf("2026-03-09")},
		{"Holy Week", madrid("2026-03-31 12:00"), 3, endOf("2026-04-07")},
		// Thursday 24 December 2026: 25th holiday, weekend, then 28, 29, 30.
		{"Christmas 2026", madrid("2026-12-24 13:00"), 3, endOf("2026-12-30")},
		// Friday 24 December 2027: 25 Saturday, 26 Sunday, then 27, 28, 29.
		{"Christmas 2027", madrid("2027-12-24 13:00"), 3, endOf("2027-12-29")},
		// Across New Year: 31 Dec 2026 (Thu) + 2: 1 Jan holiday, 2–3 weekend, 4, 5.
		{"year end", madrid("2026-12-31 10:00"), 2, endOf("2027-01-05")},
		// Across the 6 December Sunday moved to Monday 7 and the 8th.
		{"December bridge", madrid("2026-12-04 10:00"), 1, endOf("2026-12-09")},
		// DST starts on Sunday 29 March 2026: the deadline is 21:59:59 UTC, not 22:59:59.
		{"into summer time", madrid("2026-03-27 10:00"), 1, endOf("2026-03-30")},
		// DST ends on Sunday 25 October 2026.
		{"into winter time", madrid("2026-10-23 10:00"), 1, endOf("2026-10-26")},
		// Just before midnight UTC on Friday is Saturday in Madrid.
		{"UTC late Friday is Saturday in Madrid", time.Date(2026, 3, 6, 23, 30, 0, 0, time.UTC), 1, endOf("2026-03-10")},
		{"twenty days over Easter 2027", madrid("2027-03-15 10:00"), 20, endOf("2027-04-14")},
	}
	for _, tt := range tests {
		got := cal.AddWorkingDays(tt.from, tt.n)
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("%s: AddWorkingDays(%s, %d) = %s, want %s", tt.name, tt.from.Format(time.RFC3339), tt.n, got, tt.want)
		}
	}
	if got, want := endOf("2026-03-30").Format(time.RFC3339), "2026-03-30T21:59:59Z"; got != want {
		t.Errorf("end of 30 March 2026 = %s, want %s", got, want)
	}
	if got, want := endOf("2026-03-27").Format(time.RFC3339), "2026-03-27T22:59:59Z"; got != want {
		t.Errorf("end of 27 March 2026 = %s, want %s", got, want)
	}
}

func TestAddMonths(t *testing.T) {
	var hs []Holiday
	for y := 2025; y <= 2027; y++ {
		hs = append(hs, DefaultHolidays(y)...)
	}
	cal := New(hs)
	tests := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"same day", madrid("2026-03-10 10:00"), 1, endOf("2026-04-10")},
		{"31 Jan to end of February", madrid("2026-01-31 10:00"), 1, endOf("2026-03-02")}, // 28 Feb is Saturday and a holiday
		{"31 Mar to 30 Apr", madrid("2026-03-31 10:00"), 1, endOf("2026-04-30")},
		{"onto a Saturday", madrid("2026-02-07 10:00"), 1, endOf("2026-03-09")},
		{"onto a holiday", madrid("2026-11-08 10:00"), 1, endOf("2026-12-09")}, // 8 Dec
		{"three months over year end", madrid("2026-10-25 10:00"), 3, endOf("2027-01-25")},
		{"onto Maundy Thursday", madrid("2027-02-25 10:00"), 1, endOf("2027-03-29")},
		{"29 Feb in a leap year", madrid("2027-11-29 10:00"), 3, endOf("2028-02-29")},
		{"six months", madrid("2026-05-29 10:00"), 6, endOf("2026-11-30")},
	}
	for _, tt := range tests {
		got := cal.AddMonths(tt.from, tt.n)
		if !got.Equal(tt.want) {
			t.Errorf("%s: AddMonths(%s, %d) = %s, want %s", tt.name, tt.from.In(app.Madrid).Format("2006-01-02"), tt.n, got.In(app.Madrid), tt.want.In(app.Madrid))
		}
	}
}

func TestNewIgnoresBadDays(t *testing.T) {
	cal := New([]Holiday{{Day: "mañana"}, {Day: "2026-13-01"}, {Day: "2026-03-03", Name: "Local"}})
	if cal.IsWorkingDay(madrid("2026-03-03 10:00")) {
		t.Errorf("IsWorkingDay(2026-03-03) = true, want false")
	}
	if h, ok := cal.Holiday(madrid("2026-03-03 10:00")); !ok || h.Name != "Local" {
		t.Errorf("Holiday(2026-03-03) = %+v, %v; want Local, true", h, ok)
	}
}

func TestEveryDayAHolidayTerminates(t *testing.T) {
	var hs []Holiday
	d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 800; i++ {
		hs = append(hs, Holiday{Day: d.AddDate(0, 0, i).Format(dayLayout)})
	}
	_ = New(hs).AddWorkingDays(madrid("2026-01-02 10:00"), 5) // must return
}
