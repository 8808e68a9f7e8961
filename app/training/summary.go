package training

import (
	"fmt"
	"html"
	"io"
	"strings"
)

// WriteSummary writes the printable one-page summary of the lessons as HTML: for each lesson
// its aim, its steps and an example to copy, with room for the trainee's name and, when p is
// given, which lessons they completed. tr translates a text key.
func WriteSummary(w io.Writer, tr func(key string) string, p *Progress) error {
	var b strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>%s</title>
<style>
@page { size: A4; margin: 14mm; }
body { font-family: sans-serif; font-size: 11pt; line-height: 1.3; color: #000; max-width: 180mm; margin: auto; }
h1 { font-size: 17pt; margin: 0 0 2mm; } h2 { font-size: 12.5pt; margin: 4mm 0 1mm; }
p, ol { margin: 0 0 1mm; } ol { padding-left: 6mm; } .ex { font-family: monospace; background: #eee; padding: 0 1mm; }
.who { border-bottom: 1px solid #000; margin: 2mm 0 3mm; padding-bottom: 1mm; } .done { font-weight: bold; }
</style></head><body>
<h1>%s</h1><p>%s</p>`, esc(tr("training.summary.title")), esc(tr("training.summary.title")), esc(tr("training.summary.intro")))
	name := "______________________________"
	if p != nil {
		name = esc(p.Name) + " (@" + esc(p.Handle) + ")"
	}
	fmt.Fprintf(&b, `<p class="who">%s: %s</p>`, esc(tr("training.summary.trainee")), name)
	for _, l := range Lessons {
		mark := "☐"
		if p != nil {
			if _, ok := p.Completed[l.ID]; ok {
				mark = "☑"
			}
		}
		fmt.Fprintf(&b, `<h2>%s %d. %s</h2><p>%s</p><ol>`, mark, l.Number, esc(tr(l.TitleKey)), esc(tr(l.AimKey)))
		for _, st := range l.Steps {
			fmt.Fprintf(&b, "<li>%s", esc(tr(st.Key)))
			if st.Example != "" {
				fmt.Fprintf(&b, ` <span class="ex">%s</span>`, esc(tr(st.Example)))
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ol>")
	}
	fmt.Fprintf(&b, `<p class="done">%s</p></body></html>`, esc(tr("training.summary.footer")))
	_, err := io.WriteString(w, b.String())
	return err
}
