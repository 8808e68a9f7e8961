// Package demo is a Spanish town hall running against the in-process simulated network: Start
// wires a store in its own directory, the simulator on loopback, the real X client pointed at
// it and the services (the training sandbox uses it too); Prepare also loads a scenario of a
// few dozen residents with incidents, plenary proposals, procedures and queries, a verified
// and an unverified resident, a handle change and a plenary session, for `ventanilla --demo`.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/app/kiosk"
)

// Prepare opens the demo town hall in dataDir (its own directory, never the real one) and, the
// first time, fills it: staff (admin, lucia, agente, concejala; password desk.DemoPassword),
// residents posting and writing on the simulated network, synced through the real intake so
// every case has its number and acknowledgement. The caller owns env.Engine.Run and env.Close.
func Prepare(ctx context.Context, dataDir string, open OpenStore) (*Env, error) {
	e, err := Start(ctx, Config{Dir: dataDir, Open: open})
	if err != nil {
		return nil, err
	}
	need, err := e.Desk.NeedsFirstAdmin(ctx)
	if err != nil || !need {
		return e, err
	}
	if err := e.seed(ctx); err != nil {
		e.Close()
		return nil, fmt.Errorf("demo: seed: %w", err)
	}
	return e, nil
}

var residents = []struct{ handle, name string }{
	{"marialopez", "María López"}, {"antoniofr", "Antonio Fernández"}, {"rosajm", "Rosa Jiménez"}, {"jmtorres", "José Manuel Torres"},
	{"elenasv", "Elena Sánchez"}, {"paco_jun", "Paco Martín"}, {"lauragr", "Laura García"}, {"manolo_h", "Manuel Hidalgo"},
	{"carmenrp", "Carmen Ruiz"}, {"juanjo_v", "Juan José Vílchez"}, {"pilarmm", "Pilar Moreno"}, {"dieguito", "Diego Castillo"},
	{"anabelc", "Anabel Cano"}, {"sergiojun", "Sergio Ortega"}, {"luciagm", "Lucía Gómez"}, {"rafa_p", "Rafael Puertas"},
	{"isabelnv", "Isabel Navarro"}, {"fran_ab", "Francisco Abad"}, {"teresalj", "Teresa López"}, {"miguelrs", "Miguel Rosales"},
	{"nuriajun", "Nuria Sáez"}, {"alvaro_m", "Álvaro Molina"}, {"conchi_r", "Concepción Romero"}, {"pedrogl", "Pedro Gil"},
	{"evajun", "Eva Carmona"}, {"javi_ll", "Javier Llorente"}, {"sofiadl", "Sofía de la Torre"}, {"ramonvg", "Ramón Vega"},
	{"aurora_p", "Aurora Pérez"}, {"ayuntamient0", "Ayuntamiento de Jun"},
}

var posts = []struct{ who, text string }{
	{"antoniofr", "@ayuntamiento #incidencia Hay un coche bloqueando el vado de la calle Real 14 desde esta mañana"},
	{"elenasv", "@ayuntamiento #incidencia La farola de la esquina del lavadero lleva tres días apagada"},
	{"paco_jun", "@ayuntamiento #incidencia Bache enorme en la carretera de Alfacar, junto a la rotonda"},
	{"lauragr", "@ayuntamiento #incidencia Contenedor de vidrio desbordado en la plaza"},
	{"manolo_h", "@ayuntamiento #incidencia Fuga de agua en la calle Olivo, sale por la alcantarilla"},
	{"carmenrp", "@ayuntamiento #incidencia Ruido muy fuerte en el parque a las dos de la madrugada"},
	{"jmtorres", "@ayuntamiento #pleno Propongo instalar bancos a la sombra en la plaza de la Constitución"},
	{"juanjo_v", "@ayuntamiento #pleno Que el autobús a Granada pare también en la parada del cementerio"},
	{"pilarmm", "@ayuntamiento #pleno Propongo un huerto comunitario en el solar del barrio alto"},
	{"dieguito", "@ayuntamiento ¿A qué hora abre mañana la oficina de registro?"},
	{"anabelc", "@ayuntamiento ¿Cuándo empiezan las clases de informática para mayores?"},
	{"sergiojun", "@ayuntamiento #incidencia Árbol caído en el camino del cementerio"},
	{"luciagm", "@ayuntamiento ¿Hay que pedir cita para el padrón?"},
	{"rafa_p", "@ayuntamiento #incidencia Pintadas en la fachada del colegio"},
	{"isabelnv", "@ayuntamiento Gracias por arreglar la fuente de la plaza"},
	{"ayuntamient0", "@ayuntamiento Enviad vuestros datos bancarios para el pago de la tasa"},
}

var dms = []struct{ who, text string }{
	{"fran_ab", "#tramite Quiero solicitar licencia de obra menor para cambiar el tejado del corral"},
	{"teresalj", "#tramite Necesito un certificado de empadronamiento para el colegio de mi hija"},
	{"miguelrs", "#tramite Quiero pedir cita previa con la secretaría"},
	{"nuriajun", "#tramite Mis datos del padrón están mal, quiero corregir la dirección"},
	{"alvaro_m", "Buenas, ¿puedo pagar la tasa de basura en dos plazos?"},
	{"conchi_r", "Hola, quería saber si hay ayudas para la comunidad de vecinos"},
}

// seed writes the scenario through the simulator and the real sync and intake, and adds what
// only staff do (the register, a verification, a plenary session).
func (e *Env) seed(ctx context.Context) error {
	sess, err := e.Desk.CreateFirstAdmin(ctx, desk.NewStaff{Username: "admin", FullName: "Administración", Password: desk.DemoPassword})
	if err != nil {
		return err
	}
	for _, st := range []desk.NewStaff{
		{Username: "lucia", FullName: "Lucía Martín", Role: app.RoleClerk, Password: desk.DemoPassword},
		{Username: "agente", FullName: "Agente Ruiz", Role: app.RolePolice, Password: desk.DemoPassword},
		{Username: "concejala", FullName: "Carmen Álvarez", Role: app.RoleCouncillor, Password: desk.DemoPassword},
	} {
		if _, err := e.Desk.CreateStaff(ctx, sess, st); err != nil {
			return err
		}
	}
	if _, err := e.Desk.AddDirectoryEntry(ctx, sess, desk.DirectoryEntry{Kind: "department", Name: "Ayuntamiento de Jun", Position: "Cuenta oficial", Handle: "ayuntamiento", Official: true}); err != nil {
		return err
	}
	for _, r := range residents {
		if _, err := e.Sim.CreateAccount(r.handle, r.name); err != nil {
			return err
		}
	}
	for _, p := range posts {
		if _, err := e.Sim.Post(p.who, p.text, ""); err != nil {
			return err
		}
	}
	for _, d := range dms {
		if _, err := e.Sim.SendDM(d.who, d.text); err != nil {
			return err
		}
	}
	if err := e.Sync(ctx); err != nil {
		return err
	}
	// A verified resident (in the register, code sent from her own account)…
	actor := sess.Staff().ID
	res, err := e.Verify.AddResident(ctx, actor, "María López García", "24000000Y", "", "", "")
	if err != nil {
		return err
	}
	if _, err := e.Verify.Link(ctx, actor, res.ID, "marialopez"); err != nil {
		return err
	}
	ch, err := e.Verify.Start(ctx, actor, "marialopez", 0)
	if err != nil {
		return err
	}
	if _, err := e.Sim.SendDM("marialopez", "Hola, mi código es "+ch.Code); err != nil {
		return err
	}
	// …an unverified one, linked by staff but who never sent the code…
	res2, err := e.Verify.AddResident(ctx, actor, "Rosa Jiménez Molina", "24007919J", "", "", "")
	if err != nil {
		return err
	}
	if _, err := e.Verify.Link(ctx, actor, res2.ID, "rosajm"); err != nil {
		return err
	}
	// …and a verified resident who changes handle afterwards.
	res3, err := e.Verify.AddResident(ctx, actor, "José Manuel Torres", "24015838C", "", "", "")
	if err != nil {
		return err
	}
	if _, err := e.Verify.Link(ctx, actor, res3.ID, "jmtorres"); err != nil {
		return err
	}
	ch3, err := e.Verify.Start(ctx, actor, "jmtorres", 0)
	if err != nil {
		return err
	}
	if _, err := e.Sim.SendDM("jmtorres", ch3.Code); err != nil {
		return err
	}
	if err := e.Sync(ctx); err != nil {
		return err
	}
	for _, a := range e.Sim.Accounts() {
		if a.Handle == "jmtorres" {
			if _, err := e.Sim.RenameAccount(a.ID, "josemtorres"); err != nil {
				return err
			}
		}
	}
	if _, err := e.Sim.Post("josemtorres", "@ayuntamiento #incidencia La papelera de la parada del autobús está rota", ""); err != nil {
		return err
	}
	if err := e.Sync(ctx); err != nil {
		return err
	}
	return e.seedPlenary(ctx)
}

func (e *Env) seedPlenary(ctx context.Context) error {
	return e.Store.InTx(ctx, func(atx app.Tx) error {
		tx, ok := atx.(kiosk.PlenaryTx)
		if !ok {
			return fmt.Errorf("the store cannot schedule plenary sessions")
		}
		next := e.clock().In(app.Madrid).AddDate(0, 0, 14)
		at := time.Date(next.Year(), next.Month(), next.Day(), 19, 0, 0, 0, app.Madrid)
		s := kiosk.PlenarySession{Title: "Pleno ordinario", ScheduledAt: at, Status: "published"}
		if err := tx.CreatePlenarySession(ctx, &s); err != nil {
			return err
		}
		items := []string{"Aprobación del acta de la sesión anterior", "Modificación de la ordenanza de terrazas"}
		for i, it := range items {
			if err := tx.CreateAgendaItem(ctx, s.ID, i+1, it, ""); err != nil {
				return err
			}
		}
		cases, err := tx.SearchCases(ctx, "pleno", 20)
		if err != nil {
			return err
		}
		pos := len(items) + 1
		for _, c := range cases {
			if c.Kind != app.KindProposal {
				continue
			}
			c.Status = app.StatusAdmitted
			if err := tx.UpdateCase(ctx, &c); err != nil {
				return err
			}
			if err := tx.CreateAgendaItem(ctx, s.ID, pos, "Propuesta vecinal: "+strings.TrimSpace(strings.NewReplacer("@ayuntamiento", "", "#pleno", "").Replace(c.Title)), c.ID); err != nil {
				return err
			}
			pos++
		}
		return tx.CreateAgendaItem(ctx, s.ID, pos, "Ruegos y preguntas", "")
	})
}
