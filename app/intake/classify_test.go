package intake

import (
	"testing"

	"ventanilla/app"
)

// testDirectory is an invented town hall; every handle and address in these tests is fake.
var testDirectory = Directory{
	TownHall: []string{"AytoJun"},
	Police:   []string{"PoliciaLocalJun"},
	Members: []DirectoryMember{
		{EntryID: "dir-alcalde", Handle: "AlcaldeJun", Name: "Alcalde", DepartmentCode: "alcaldia"},
		{EntryID: "dir-fiestas", Handle: "FiestasJun", Name: "Concejala de Fiestas", DepartmentCode: "alcaldia"},
		{EntryID: "dir-urbanismo", Handle: "UrbanismoJun", Name: "Técnico de Urbanismo", DepartmentCode: "urbanismo"},
		{EntryID: "dir-secretaria", Handle: "SecretariaJun", Name: "Secretaría", DepartmentCode: "secretaria"},
		{EntryID: "dir-sin-dept", Handle: "ArchivoJun", Name: "Archivo"},
	},
}

type want struct {
	action string
	kind   app.CaseKind
	dept   string
	proc   string
	entry  string
}

func incident(dept string) want { return want{ActionCase, app.KindIncident, dept, "", ""} }
func proposal() want            { return want{ActionCase, app.KindProposal, "secretaria", "", ""} }
func query() want               { return want{ActionCase, app.KindQuery, "atencion", "", ""} }
func procedure(code, dept string) want {
	return want{ActionCase, app.KindProcedure, dept, code, ""}
}
func message(entry, dept string) want { return want{ActionCase, app.KindMessage, dept, "", entry} }

// corpus is what residents of a small Andalusian town write, with what should happen to it.
var corpus = []struct {
	ch     app.Channel
	author string
	text   string
	want   want
}{
	// #incidencia with public-works words goes to obras.
	{app.ChannelMention, "VecinaFalsa1", "@AytoJun #incidencia La farola de la Calle Falsa 123 lleva tres días apagada", incident("obras")},
	{app.ChannelMention, "VecinoInventado", "#Incidencia farolas fundidas en la plaza 💡", incident("obras")},
	{app.ChannelMention, "Pepi_Ficticia", "No hay luz de la calle en todo el barrio alto @AytoJun #incidencia", incident("obras")},
	{app.ChannelMention, "Manolo_Nadie", "@AytoJun el ALUMBRADO del parque no funciona #INCIDENCIA", incident("obras")},
	{app.ChannelMention, "VecinaFalsa1", "@AytoJun #incidencia contenedor de basura desbordado en c/ Imaginaria 4 🤢", incident("obras")},
	{app.ChannelMention, "JuanitoFalso", "#incidencia no han pasado a recoger la basura desde el lunes", incident("obras")},
	{app.ChannelMention, "MariCarmenInv", "@AytoJun hay residuos y escombros tirados en el camino #incidencia", incident("obras")},
	{app.ChannelMention, "VecinoInventado", "#incidencia Fuga de agua enfrente del colegio, sale a chorros!!", incident("obras")},
	{app.ChannelMention, "Pepi_Ficticia", "@AytoJun #incidencia se ha roto una tubería en Avda. de Mentira", incident("obras")},
	{app.ChannelMention, "AntonioNoExiste", "Huele fatal, la alcantarilla está atascada #incidencia @AytoJun", incident("obras")},
	{app.ChannelMention, "RosaInventada", "@AytoJun #incidencia un bache enorme en la entrada del pueblo, casi me caigo con la moto", incident("obras")},
	{app.ChannelMention, "LuisFicticio", "#incidencia la acera está levantada por las raíces", incident("obras")},
	{app.ChannelMention, "LuisFicticio", "#incidencias baches en la calle de la iglesia", incident("obras")},
	{app.ChannelDM, "CarmenFalsa", "#incidencia el contenedor amarillo está roto", incident("obras")},
	{app.ChannelMention, "Paco_Inventado", "#incidéncia sin agua en toda la calle desde esta mañana", incident("obras")},
	{app.ChannelMention, "TrabajadorFalso", "@AytoJun #incidencia ferola fundida en la plaza", incident("obras")}, // "fundida" rescues the misspelt "farola"

	// #incidencia without those words goes to the police.
	{app.ChannelMention, "VecinaFalsa1", "@AytoJun #incidencia coche mal aparcado en el vado de la Calle Falsa 123", incident("policia")},
	{app.ChannelMention, "VecinoInventado", "#incidencia ruido de música a las 3 de la mañana, no hay quien duerma 😡", incident("policia")},
	{app.ChannelMention, "Pepi_Ficticia", "Perro suelto por la plaza, da miedo #incidencia", incident("policia")},
	{app.ChannelMention, "Manolo_Nadie", "@AytoJun @PoliciaLocalJun #incidencia pelea en la puerta del bar", incident("policia")},
	{app.ChannelDM, "RosaInventada", "#incidencia me han rayado el coche esta noche", incident("policia")},
	{app.ChannelMention, "MariCarmenInv", "#incidencia", incident("policia")},
	{app.ChannelMention, "JuanitoFalso", "#Incidencia semáforo (farola?) no, el semáforo no funciona", incident("obras")}, // "farola" wins, as written
	{app.ChannelMention, "TouristFake", "@AytoJun #incidencia someone broke into my car near the castle", incident("policia")},

	// A mention of the police, without a kind hashtag, is an incident for them.
	{app.ChannelMention, "VecinaFalsa1", "@PoliciaLocalJun hay un camión bloqueando la salida del garaje", incident("policia")},
	{app.ChannelMention, "VecinoInventado", "@policialocaljun botellón en el parque otra vez #Jun", incident("policia")},
	{app.ChannelMention, "LuisFicticio", "@AytoJun @PoliciaLocalJun motos haciendo carreras por la noche", incident("policia")},
	{app.ChannelDM, "Pepi_Ficticia", "@PoliciaLocalJun se me ha perdido la cartera en la feria", incident("policia")},

	// #pleno and #propuesta: proposals for the plenary, to the secretary's office.
	{app.ChannelMention, "VecinaFalsa1", "@AytoJun #pleno propongo que se ponga un paso de peatones frente al colegio", proposal()},
	{app.ChannelMention, "VecinoInventado", "#Propuesta: carril bici hasta el polideportivo 🚲", proposal()},
	{app.ChannelMention, "RosaInventada", "Pido que se debata en el próximo #PLENO la subida del agua", proposal()},
	{app.ChannelDM, "AntonioNoExiste", "#propuesta cambiar el horario de la biblioteca en verano", proposal()},
	{app.ChannelMention, "MariCarmenInv", "#propuestas más bancos a la sombra en el paseo", proposal()},
	{app.ChannelMention, "LuisFicticio", "@AytoJun @AlcaldeJun #pleno que se arregle el camino del cementerio", proposal()},
	{app.ChannelMention, "Paco_Inventado", "#pleno #propuesta fiesta de la cereza en junio", proposal()},
	{app.ChannelMention, "PepeFalso", "@PoliciaLocalJun #propuesta más vigilancia en la feria", proposal()},

	// #tramite picks a procedure from the catalogue.
	{app.ChannelDM, "VecinaFalsa1", "#tramite necesito un certificado de empadronamiento para el banco", procedure("empadronamiento", "atencion")},
	{app.ChannelDM, "VecinoInventado", "#Trámite volante de empadronamiento por favor", procedure("empadronamiento", "atencion")},
	{app.ChannelDM, "Pepi_Ficticia", "Hola, #TRAMITE quiero empadronarme en el pueblo", procedure("empadronamiento", "atencion")},
	{app.ChannelDM, "RosaInventada", "#tramite certificado del padrón", procedure("empadronamiento", "atencion")},
	{app.ChannelDM, "Manolo_Nadie", "#tramite cita previa para el lunes", procedure("cita-previa", "atencion")},
	{app.ChannelDM, "AntonioNoExiste", "quiero pedir cita con el alcalde #tramite", procedure("cita-previa", "atencion")},
	{app.ChannelDM, "LuisFicticio", "#tramite licencia de obra menor para cambiar el suelo de la cocina", procedure("obra-menor", "urbanismo")},
	{app.ChannelDM, "CarmenFalsa", "#tramite voy a hacer una reforma del baño, ¿qué necesito?", procedure("obra-menor", "urbanismo")},
	{app.ChannelDM, "JuanitoFalso", "#tramite cita previa para pedir la licencia de obra", procedure("obra-menor", "urbanismo")}, // most specific keyword wins
	{app.ChannelDM, "Paco_Inventado", "#tramite quiero corregir mi segundo apellido, está mal escrito", procedure("correccion-datos", "atencion")},
	{app.ChannelDM, "PepeFalso", "#tramite rectificación de la dirección en el padrón", procedure("correccion-datos", "atencion")}, // the more specific keyword
	{app.ChannelDM, "MariCarmenInv", "#tramite", procedure("", "atencion")},
	{app.ChannelDM, "TouristFake", "#tramites what do I need to register in the town?", procedure("", "atencion")},
	{app.ChannelMention, "VecinaFalsa1", "@AytoJun #trámite cita para el DNI", procedure("cita-previa", "atencion")},

	// A mention of a councillor or employee is a message for them.
	{app.ChannelMention, "VecinaFalsa1", "@AlcaldeJun enhorabuena por la feria, ha salido genial", message("dir-alcalde", "alcaldia")},
	{app.ChannelMention, "VecinoInventado", "@AytoJun @FiestasJun ¿a qué hora empiezan los fuegos?", message("dir-fiestas", "alcaldia")},
	{app.ChannelDM, "Pepi_Ficticia", "Para @UrbanismoJun: ¿puedo poner un toldo?", message("dir-urbanismo", "urbanismo")},
	{app.ChannelMention, "RosaInventada", "@secretariajun cuándo se publica el acta", message("dir-secretaria", "secretaria")},
	{app.ChannelMention, "LuisFicticio", "@ArchivoJun busco la escritura de mi abuelo", message("dir-sin-dept", "atencion")},
	{app.ChannelMention, "Manolo_Nadie", "@FiestasJun @AlcaldeJun gracias por todo", message("dir-fiestas", "alcaldia")},
	// ...but a kind hashtag wins over the mention.
	{app.ChannelMention, "AntonioNoExiste", "@AlcaldeJun #consulta ¿cuándo abre la piscina?", query()},

	// Anything else is a query for the citizen service desk.
	{app.ChannelMention, "VecinaFalsa1", "@AytoJun ¿a qué hora abre el ayuntamiento?", query()},
	{app.ChannelDM, "VecinoInventado", "Buenas, ¿dónde se paga el IBI?", query()},
	{app.ChannelMention, "Pepi_Ficticia", "#consulta ¿hay autobús a Granada los domingos?", query()},
	{app.ChannelDM, "RosaInventada", "Hola 👋", query()},
	{app.ChannelMention, "LuisFicticio", "@AytoJun la farola de mi calle no funciona", query()}, // no hashtag: staff route it
	{app.ChannelMention, "TouristFake", "@AytoJun hi! is the castle open on Mondays?", query()},
	{app.ChannelDM, "CarmenFalsa", "necesito un certificado de empadronamiento", query()}, // no #tramite
	{app.ChannelMention, "JuanitoFalso", "@AytoJun #Jun #Granada qué bonito está el pueblo", query()},
	{app.ChannelMention, "PepeFalso", "@AytoJun incidencia: farola rota", query()}, // "incidencia" without #
	{app.ChannelDM, "Paco_Inventado", "", query()},

	// The town hall's own posts.
	{app.ChannelMention, "AytoJun", "Recordad: #pleno ordinario el jueves a las 20:00", want{action: ActionOwn}},
	{app.ChannelMention, "aytojun", "@VecinaFalsa1 gracias, E-2026-000123 registrado", want{action: ActionOwn}},
	{app.ChannelMention, "@PoliciaLocalJun", "@VecinoInventado ya va una patrulla #incidencia", want{action: ActionOwn}},
	// A look-alike of the town hall is not the town hall.
	{app.ChannelMention, "Ayt0Jun", "@AytoJun #incidencia prueba", incident("policia")},
}

func TestClassifyCorpus(t *testing.T) {
	if len(corpus) < 60 {
		t.Fatalf("corpus has %d messages, want at least 60", len(corpus))
	}
	rules, procs := DefaultRules(), DefaultProcedures()
	for _, c := range corpus {
		d := Classify(Message{Channel: c.ch, Text: c.text, AuthorHandle: c.author}, rules, testDirectory, procs)
		got := want{d.Action, d.Kind, d.DepartmentCode, d.ProcedureCode, d.DirectoryEntryID}
		if got != c.want {
			t.Errorf("Classify(%s, %q)\n got %+v (rule %q)\nwant %+v", c.ch, c.text, got, d.RuleName, c.want)
		}
	}
}

func TestClassifyFacts(t *testing.T) {
	tests := []struct {
		text             string
		mentionsTownHall bool
		hasKindHashtag   bool
		hashtags         int
		mentions         int
	}{
		{"@AytoJun #incidencia farola", true, true, 1, 1},
		{"@aytojun hola", true, false, 0, 1},
		{"@AlcaldeJun #Jun", false, false, 1, 1},
		{"#Trámite cita", false, true, 1, 0},
		{"#consultas", false, true, 1, 0},
		{"#plenaria", false, false, 1, 0},
		{"@AytoJun @PoliciaLocalJun #pleno #jun", true, true, 2, 2},
	}
	for _, tt := range tests {
		d := Classify(Message{Channel: app.ChannelMention, Text: tt.text, AuthorHandle: "VecinaFalsa1"}, DefaultRules(), testDirectory, DefaultProcedures())
		if d.MentionsTownHall != tt.mentionsTownHall || d.HasKindHashtag != tt.hasKindHashtag ||
			len(d.Hashtags) != tt.hashtags || len(d.Mentions) != tt.mentions {
			t.Errorf("Classify(%q) = townhall %v, kind hashtag %v, %d hashtags, %d mentions; want %v, %v, %d, %d",
				tt.text, d.MentionsTownHall, d.HasKindHashtag, len(d.Hashtags), len(d.Mentions),
				tt.mentionsTownHall, tt.hasKindHashtag, tt.hashtags, tt.mentions)
		}
	}
}

func TestClassifyRules(t *testing.T) {
	rules := []Rule{
		{Priority: 50, Name: "dm-consultas", Channel: ChannelDM, Keywords: []string{"horario"}, Action: ActionCase, Kind: app.KindQuery, DepartmentCode: "alcaldia", Enabled: true},
		{Priority: 5, Name: "spam", Keywords: []string{"sorteo", "gana dinero"}, Action: ActionIgnore, Enabled: true},
		{Priority: 1, Name: "disabled", Action: ActionCase, Kind: app.KindIncident, DepartmentCode: "policia", Enabled: false},
		{Priority: 60, Name: "publico-feria", Channel: ChannelMention, Hashtags: []string{"#Feria"}, Action: ActionCase, Kind: app.KindQuery, DepartmentCode: "alcaldia", Enabled: true},
		{Priority: 70, Name: "mencion-ayto-tramite", Mentions: []string{MentionTownHall}, Keywords: []string{"padrón"}, Action: ActionCase, Kind: app.KindProcedure, Enabled: true},
		{Priority: 80, Name: "mensaje", Hashtags: []string{"mensaje"}, Action: ActionCase, Kind: app.KindMessage, Enabled: true},
		{Priority: 90, Name: "unknown-channel", Channel: "fax", Action: ActionCase, Kind: app.KindIncident, DepartmentCode: "policia", Enabled: true},
		{Priority: 95, Name: "bad-kind", Hashtags: []string{"raro"}, Action: ActionCase, Kind: "weird", Enabled: true},
	}
	tests := []struct {
		ch   app.Channel
		text string
		rule string
		want want
	}{
		{app.ChannelDM, "¿Cuál es el horario?", "dm-consultas", want{ActionCase, app.KindQuery, "alcaldia", "", ""}},
		{app.ChannelMention, "¿Cuál es el horario?", "", query()},
		{app.ChannelMention, "GANA DINERO fácil con este sorteo", "spam", want{action: ActionIgnore}},
		{app.ChannelSearch, "¿a qué hora es la #feria?", "publico-feria", want{ActionCase, app.KindQuery, "alcaldia", "", ""}},
		{app.ChannelDM, "¿a qué hora es la #feria?", "", query()},
		{app.ChannelMention, "@AytoJun certificado del padrón", "mencion-ayto-tramite", procedure("empadronamiento", "atencion")},
		{app.ChannelMention, "@AytoJun #mensaje @AlcaldeJun hola", "mensaje", message("dir-alcalde", "alcaldia")},
		{app.ChannelMention, "#mensaje hola", "mensaje", want{ActionCase, app.KindMessage, "atencion", "", ""}},
		{app.ChannelMention, "#raro", "bad-kind", query()},
	}
	for _, tt := range tests {
		d := Classify(Message{Channel: tt.ch, Text: tt.text, AuthorHandle: "VecinaFalsa1"}, rules, testDirectory, DefaultProcedures())
		got := want{d.Action, d.Kind, d.DepartmentCode, d.ProcedureCode, d.DirectoryEntryID}
		if got != tt.want || d.RuleName != tt.rule {
			t.Errorf("Classify(%s, %q) = %+v by %q, want %+v by %q", tt.ch, tt.text, got, d.RuleName, tt.want, tt.rule)
		}
	}
}

func TestDefaultRulesOrder(t *testing.T) {
	var plain int
	for _, r := range DefaultRules() {
		if r.Name == "Incidencia (Policía Local)" {
			plain = r.Priority
		}
	}
	for _, r := range DefaultRules() {
		if r.DepartmentCode == DeptPublicWork && r.Priority >= plain {
			t.Errorf("rule %q has priority %d, want below the plain #incidencia rule's %d", r.Name, r.Priority, plain)
		}
		if !r.Enabled || !r.Kind.Valid() || r.Action != ActionCase {
			t.Errorf("rule %q = %+v, want an enabled case rule with a valid kind", r.Name, r)
		}
	}
}

func FuzzClassify(f *testing.F) {
	for _, c := range corpus {
		f.Add(string(c.ch), c.text, c.author)
	}
	f.Add("dm", "#", "@")
	f.Add("search", "@\xff#\xfe", "")
	f.Fuzz(func(t *testing.T, ch, text, author string) {
		d := Classify(Message{Channel: app.Channel(ch), Text: text, AuthorHandle: author}, DefaultRules(), testDirectory, DefaultProcedures())
		switch d.Action {
		case ActionCase:
			if !d.Kind.Valid() {
				t.Fatalf("Classify(%q) = kind %q, want a valid kind", text, d.Kind)
			}
			if d.DepartmentCode == "" {
				t.Fatalf("Classify(%q): case without a department", text)
			}
		case ActionIgnore, ActionOwn:
		default:
			t.Fatalf("Classify(%q) = action %q", text, d.Action)
		}
	})
}
