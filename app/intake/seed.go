package intake

import (
	"context"
	"fmt"

	"ventanilla/app"
	"ventanilla/app/calendar"
)

// SeedTx is what seeding writes besides app.Tx.
type SeedTx interface {
	app.Tx
	CatalogReader
	ReplaceIntakeRules(ctx context.Context, rules []app.IntakeRule) error
	CreateProcedureType(ctx context.Context, p *app.ProcedureType) error
	AddHoliday(ctx context.Context, h app.Holiday) error
	PutTemplate(ctx context.Context, t *app.Template) error
}

// DefaultDepartments are the departments a new installation starts with.
var DefaultDepartments = []app.Department{
	{Code: DeptPolice, Name: "Policía Local"},
	{Code: DeptPublicWork, Name: "Obras y Servicios"},
	{Code: DeptSecretary, Name: "Secretaría"},
	{Code: DeptDesk, Name: "Atención ciudadana"},
	{Code: DeptPlanning, Name: "Urbanismo"},
	{Code: DeptMayor, Name: "Alcaldía"},
}

// procedureDeadlines are the default response times of the catalogue, by procedure code;
// codes not listed get the general three months.
var procedureDeadlines = map[string]struct {
	value int
	unit  string
}{
	"correccion-datos": {10, "working_days"},
	"cita-previa":      {3, "working_days"},
	"empadronamiento":  {5, "working_days"},
	"obra-menor":       {1, "months"},
}

// Seed gives an empty register the default departments, procedure catalogue, intake rules,
// templates and holidays (this year, the one before and the next two). It only fills what is
// empty, so it is safe at every start and never overwrites staff's edits.
func Seed(ctx context.Context, store app.Store, now func() int) error {
	return store.InTx(ctx, func(atx app.Tx) error {
		tx, ok := atx.(SeedTx)
		if !ok {
			return fmt.Errorf("seed: the store cannot write the intake configuration")
		}
		depts, err := tx.ListDepartments(ctx)
		if err != nil {
			return err
		}
		byCode := map[string]string{}
		for _, d := range depts {
			byCode[d.Code] = d.ID
		}
		for _, d := range DefaultDepartments {
			if byCode[d.Code] != "" {
				continue
			}
			d := d
			if err := tx.CreateDepartment(ctx, &d); err != nil {
				return err
			}
			byCode[d.Code] = d.ID
		}
		procs, err := tx.ListProcedureTypes(ctx)
		if err != nil {
			return err
		}
		procByCode := map[string]string{}
		for _, p := range procs {
			procByCode[p.Code] = p.ID
		}
		if len(procs) == 0 {
			for _, p := range DefaultProcedures() {
				pt := app.ProcedureType{Code: p.Code, NameES: p.NameES, NameEN: p.NameES, Keywords: p.Keywords, DepartmentID: byCode[p.DepartmentCode]}
				if dl, ok := procedureDeadlines[p.Code]; ok {
					pt.DeadlineValue, pt.DeadlineUnit = dl.value, dl.unit
				}
				if en, ok := procedureNamesEN[p.Code]; ok {
					pt.NameEN = en
				}
				if err := tx.CreateProcedureType(ctx, &pt); err != nil {
					return err
				}
				procByCode[p.Code] = pt.ID
			}
		}
		rules, err := tx.ListIntakeRules(ctx)
		if err != nil {
			return err
		}
		if len(rules) == 0 {
			var out []app.IntakeRule
			for _, r := range DefaultRules() {
				out = append(out, app.IntakeRule{Priority: r.Priority, Name: r.Name, Channel: r.Channel, Hashtags: r.Hashtags,
					Mentions: r.Mentions, Keywords: r.Keywords, Action: r.Action, Kind: r.Kind,
					DepartmentID: byCode[r.DepartmentCode], ProcedureTypeID: procByCode[r.ProcedureCode], Enabled: r.Enabled})
			}
			if err := tx.ReplaceIntakeRules(ctx, out); err != nil {
				return err
			}
		}
		for _, lang := range []string{"es", "en"} {
			have, err := tx.TemplatesByKey(ctx, lang)
			if err != nil {
				return err
			}
			for key, body := range DefaultTemplates(lang) {
				if _, ok := have[key]; ok {
					continue
				}
				if err := tx.PutTemplate(ctx, &app.Template{Key: key, Lang: lang, Body: body}); err != nil {
					return err
				}
			}
		}
		hs, err := tx.ListHolidays(ctx)
		if err != nil {
			return err
		}
		if len(hs) == 0 {
			year := now()
			for y := year - 1; y <= year+2; y++ {
				for _, h := range calendar.DefaultHolidays(y) {
					if err := tx.AddHoliday(ctx, h); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

var procedureNamesEN = map[string]string{
	"empadronamiento":  "Census registration certificate",
	"cita-previa":      "Appointment",
	"obra-menor":       "Minor works licence",
	"correccion-datos": "Correction of personal data",
}

// DefaultTemplates are the acknowledgement and verification texts, per language. Keys:
// ack.<kind>.ok when the resident's verification level allows the kind, ack.<kind>.unverified
// otherwise; ack.privacy is appended when a public post carried personal data. Placeholders:
// {numero} (registry number, always present), {departamento}, {plazo} (due date), {tramite},
// {destinatario}, {handle}.
func DefaultTemplates(lang string) map[string]string {
	if lang == "en" {
		return map[string]string{
			"ack.incident.ok":          "We have registered your report as {numero} and sent it to {departamento}. Thank you for letting us know.",
			"ack.incident.unverified":  "We have registered your report as {numero} and sent it to {departamento}. Thank you. Verify your account at the town hall to follow your cases more easily.",
			"ack.proposal.ok":          "We have registered your proposal for the plenary session as {numero}. The Secretary's office will decide on its admission.",
			"ack.proposal.unverified":  "We have registered your proposal as {numero}. To propose an agenda item your account must be verified and you must be on the census: come to the town hall with your ID.",
			"ack.procedure.ok":         "We have registered your request ({tramite}) as {numero}. We will answer by {plazo}.",
			"ack.procedure.unverified": "We have registered your request as {numero}. Procedures need a verified account: come to the town hall with your ID or use the lobby kiosk.",
			"ack.message.ok":           "We have registered your message for {destinatario} as {numero} and passed it on.",
			"ack.message.unverified":   "We have registered your message for {destinatario} as {numero} and passed it on.",
			"ack.query.ok":             "We have registered your query as {numero}. We will answer as soon as possible.",
			"ack.query.unverified":     "We have registered your query as {numero}. We will answer as soon as possible.",
			"ack.privacy":              "For your safety, please do not post personal data publicly: we will continue by direct message.",
			"verify.ok":                "Your account @{handle} is now verified by the town hall. You can carry out procedures from it.",
			"verify.expired":           "That code has expired. Ask for a new one at the town hall or the lobby kiosk.",
		}
	}
	return map[string]string{
		"ack.incident.ok":          "Hemos registrado su incidencia con el número {numero} y la hemos enviado a {departamento}. Gracias por avisar.",
		"ack.incident.unverified":  "Hemos registrado su incidencia con el número {numero} y la hemos enviado a {departamento}. Gracias. Verifique su cuenta en el ayuntamiento para seguir sus casos con más facilidad.",
		"ack.proposal.ok":          "Hemos registrado su propuesta para el pleno con el número {numero}. Secretaría decidirá sobre su admisión.",
		"ack.proposal.unverified":  "Hemos registrado su propuesta con el número {numero}. Para proponer puntos al pleno su cuenta debe estar verificada y usted empadronado: pase por el ayuntamiento con su DNI.",
		"ack.procedure.ok":         "Hemos registrado su solicitud ({tramite}) con el número {numero}. Le responderemos antes del {plazo}.",
		"ack.procedure.unverified": "Hemos registrado su solicitud con el número {numero}. Para hacer trámites su cuenta debe estar verificada: pase por el ayuntamiento con su DNI o use el quiosco del vestíbulo.",
		"ack.message.ok":           "Hemos registrado su mensaje para {destinatario} con el número {numero} y se lo hemos hecho llegar.",
		"ack.message.unverified":   "Hemos registrado su mensaje para {destinatario} con el número {numero} y se lo hemos hecho llegar.",
		"ack.query.ok":             "Hemos registrado su consulta con el número {numero}. Le responderemos lo antes posible.",
		"ack.query.unverified":     "Hemos registrado su consulta con el número {numero}. Le responderemos lo antes posible.",
		"ack.privacy":              "Por su seguridad, no publique datos personales: seguimos por mensaje directo.",
		"verify.ok":                "Su cuenta @{handle} ha quedado verificada por el ayuntamiento. Ya puede hacer trámites desde ella.",
		"verify.expired":           "El código ha caducado. Pida uno nuevo en el ayuntamiento o en el quiosco del vestíbulo.",
	}
}
