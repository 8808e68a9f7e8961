package intake

import "ventanilla/app"

// Department codes the default rules and procedures route to.
const (
	DeptPolice     = "policia"
	DeptPublicWork = "obras"
	DeptSecretary  = "secretaria"
	DeptDesk       = "atencion"
	DeptPlanning   = "urbanismo"
	DeptMayor      = "alcaldia"
)

// DefaultRules returns the rules a new installation starts with, following the Jun model:
// #incidencia goes to the local police, unless its words say it is street lighting, rubbish,
// water or the street surface, which go to public works (those rules have lower priority
// numbers so they are tried first); #pleno and #propuesta are proposals for the plenary
// session's agenda, handled by the secretary's office; a mention of the police account
// without a kind hashtag is an incident for the police. Priorities leave room for the town
// hall's own rules in between.
func DefaultRules() []Rule {
	incident := []string{"incidencia"}
	return []Rule{
		{
			ID: "default-alumbrado", Priority: 10, Name: "Incidencia de alumbrado público",
			Channel: ChannelAny, Hashtags: incident,
			Keywords: []string{"farola", "alumbrado", "luz de la calle", "luces de la calle",
				"sin luz", "bombilla", "fundida", "fundido", "foco"},
			Action: ActionCase, Kind: app.KindIncident, DepartmentCode: DeptPublicWork, Enabled: true,
		},
		{
			ID: "default-residuos", Priority: 20, Name: "Incidencia de residuos y limpieza",
			Channel: ChannelAny, Hashtags: incident,
			Keywords: []string{"basura", "contenedor", "residuos", "recogida", "escombros",
				"papelera", "reciclaje", "enseres", "suciedad"},
			Action: ActionCase, Kind: app.KindIncident, DepartmentCode: DeptPublicWork, Enabled: true,
		},
		{
			ID: "default-agua", Priority: 30, Name: "Incidencia de agua y saneamiento",
			Channel: ChannelAny, Hashtags: incident,
			Keywords: []string{"agua", "fuga", "tubería", "tuberia", "alcantarilla", "alcantarillado",
				"desagüe", "saneamiento", "imbornal", "arqueta", "riego"},
			Action: ActionCase, Kind: app.KindIncident, DepartmentCode: DeptPublicWork, Enabled: true,
		},
		{
			ID: "default-via-publica", Priority: 40, Name: "Incidencia en la vía pública",
			Channel: ChannelAny, Hashtags: incident,
			Keywords: []string{"bache", "acera", "socavón", "asfalto", "bordillo", "calzada",
				"adoquín", "baldosa", "pavimento", "banco roto", "columpio", "parque infantil"},
			Action: ActionCase, Kind: app.KindIncident, DepartmentCode: DeptPublicWork, Enabled: true,
		},
		{
			ID: "default-incidencia", Priority: 100, Name: "Incidencia (Policía Local)",
			Channel: ChannelAny, Hashtags: incident,
			Action: ActionCase, Kind: app.KindIncident, DepartmentCode: DeptPolice, Enabled: true,
		},
		{
			ID: "default-pleno", Priority: 110, Name: "Propuesta para el pleno",
			Channel: ChannelAny, Hashtags: []string{"pleno", "propuesta"},
			Action: ActionCase, Kind: app.KindProposal, DepartmentCode: DeptSecretary, Enabled: true,
		},
		{
			ID: "default-mencion-policia", Priority: 200, Name: "Mención a la Policía Local",
			Channel: ChannelAny, Hashtags: []string{NoKindHashtag}, Mentions: []string{MentionPolice},
			Action: ActionCase, Kind: app.KindIncident, DepartmentCode: DeptPolice, Enabled: true,
		},
	}
}

// DefaultProcedures returns the starting procedure catalogue: the everyday procedures of a
// small town hall, with the words residents use for them.
func DefaultProcedures() []Procedure {
	return []Procedure{
		{
			Code: "empadronamiento", NameES: "Certificado de empadronamiento",
			Keywords: []string{"empadronamiento", "empadronar", "padrón", "certificado de empadronamiento",
				"volante", "certificado de convivencia"},
			DepartmentCode: DeptDesk,
		},
		{
			Code: "cita-previa", NameES: "Cita previa",
			Keywords:       []string{"cita", "cita previa"},
			DepartmentCode: DeptDesk,
		},
		{
			Code: "obra-menor", NameES: "Licencia de obra menor",
			Keywords:       []string{"obra menor", "licencia de obra", "reforma", "obras en casa"},
			DepartmentCode: DeptPlanning,
		},
		{
			Code: "correccion-datos", NameES: "Corrección de datos",
			Keywords:       []string{"corregir", "corrección", "rectificar", "rectificación", "datos mal", "error en mis datos"},
			DepartmentCode: DeptDesk,
		},
	}
}
