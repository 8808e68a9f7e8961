package desk

import (
	"context"
	"fmt"
	"time"

	"ventanilla/app"
)

// DemoPassword is the password of every demo staff account.
const DemoPassword = "ventanilla"

// DemoStaff are the usernames SeedDemo creates, by role.
var DemoStaff = map[app.Role]string{app.RoleAdmin: "admin", app.RoleClerk: "lucia", app.RolePolice: "agente", app.RoleCouncillor: "concejala"}

func dni(n int) string {
	return fmt.Sprintf("%08d%c", n, "TRWAGMYFPDXBNJZSQVHLCKE"[n%23])
}

// SeedDemo fills an empty database with a small town's worth of departments, staff, residents
// and cases, for training, trying the desk and screenshots. It does nothing when staff exist.
// The network user ids are those a fresh simulator would not use, so nothing is sent to anyone.
func (s *Service) SeedDemo(ctx context.Context) error {
	need, err := s.NeedsFirstAdmin(ctx)
	if err != nil || !need {
		return err
	}
	hash, err := s.hash(DemoPassword)
	if err != nil {
		return err
	}
	now := s.clock()
	return s.inTx(ctx, func(tx Tx) error {
		// The departments the register was seeded with (app/intake), created if missing, so
		// that the demo's cases and the intake rules route to the same ones.
		deps := map[string]*app.Department{}
		existing, err := tx.ListDepartments(ctx)
		if err != nil {
			return err
		}
		for i := range existing {
			deps[existing[i].Code] = &existing[i]
		}
		for _, d := range []app.Department{{Code: "policia", Name: "Policía Local"}, {Code: "obras", Name: "Obras y Servicios"},
			{Code: "secretaria", Name: "Secretaría"}, {Code: "alcaldia", Name: "Alcaldía"}} {
			if deps[d.Code] != nil {
				continue
			}
			d := d
			if err := tx.CreateDepartment(ctx, &d); err != nil {
				return err
			}
			deps[d.Code] = &d
		}
		staff := map[string]*app.Staff{}
		for _, st := range []app.Staff{
			{Username: "admin", FullName: "Administración", Role: app.RoleAdmin, DepartmentID: deps["secretaria"].ID},
			{Username: "lucia", FullName: "Lucía Martín", Role: app.RoleClerk, DepartmentID: deps["secretaria"].ID},
			{Username: "pablo", FullName: "Pablo Ortega", Role: app.RoleClerk, DepartmentID: deps["obras"].ID},
			{Username: "agente", FullName: "Agente Ruiz", Role: app.RolePolice, DepartmentID: deps["policia"].ID},
			{Username: "concejala", FullName: "Carmen Álvarez", Role: app.RoleCouncillor, DepartmentID: deps["alcaldia"].ID},
		} {
			st := st
			st.PasswordHash, st.Active = hash, true
			if err := tx.CreateStaff(ctx, &st); err != nil {
				return err
			}
			staff[st.Username] = &st
		}
		councillorEntry := DirectoryEntry{Kind: "councillor", Name: "Carmen Álvarez", Position: "Concejala de Participación",
			DepartmentID: deps["alcaldia"].ID, StaffID: staff["concejala"].ID, Handle: "CarmenAlvarezJun", UserID: "9000000000000000001", Official: true}
		for _, e := range []*DirectoryEntry{
			{Kind: "department", Name: "Ayuntamiento", Position: "Cuenta oficial", Handle: "ayuntamiento", UserID: "9000000000000000000", Official: true},
			&councillorEntry,
			{Kind: "department", Name: "Policía Local", Position: "Cuenta oficial", DepartmentID: deps["policia"].ID, Handle: "PoliciaLocalJun", UserID: "9000000000000000002", Official: true},
			{Kind: "employee", Name: "Lucía Martín", Position: "Registro y atención", DepartmentID: deps["secretaria"].ID, StaffID: staff["lucia"].ID},
		} {
			if err := tx.CreateDirectoryEntry(ctx, e); err != nil {
				return err
			}
		}
		type person struct {
			name, handle string
			level        app.Level
			flag         string
		}
		people := []person{
			{"María López García", "marialopez", app.LevelVerifiedCensus, ""},
			{"Antonio Fernández Ruiz", "antoniofr", app.LevelVerified, ""},
			{"Rosa Jiménez Molina", "rosajm", app.LevelLinked, ""},
			{"José Manuel Torres", "jmtorres", app.LevelVerified, "handle"},
			{"Elena Sánchez Vidal", "elenasv", app.LevelUnknown, ""},
			{"", "ayuntamient0", app.LevelUnknown, "lookalike"},
		}
		var ids []app.Identity
		for i, p := range people {
			ident := app.Identity{Network: "x", UserID: fmt.Sprintf("18%017d", i+1), Handle: p.handle, DisplayName: p.name, Level: p.level,
				HandleChanged: p.flag == "handle", Lookalike: p.flag == "lookalike"}
			if p.name != "" {
				r := app.Resident{FullName: p.name, Document: dni(24000000 + i*7919), Phone: fmt.Sprintf("6%08d", 10000000+i*1111)}
				if err := tx.CreateResident(ctx, &r, staff["lucia"].ID); err != nil {
					return err
				}
				ident.ResidentID = r.ID
				if p.level.AtLeast(app.LevelVerified) {
					ident.VerifiedAt, ident.VerifiedBy, ident.VerifiedMethod = now.Add(-30*24*time.Hour), staff["lucia"].ID, "dm"
				}
			} else {
				ident.DisplayName = "Ayuntamiento de Jun"
			}
			if err := tx.CreateIdentity(ctx, &ident); err != nil {
				return err
			}
			ids = append(ids, ident)
		}
		type seed struct {
			who     int
			kind    app.CaseKind
			dep     string
			channel app.Channel
			text    string
			ago     time.Duration
			due     time.Duration // from opening; 0 none
			status  app.CaseStatus
			assign  string
			dir     bool
		}
		h := time.Hour
		seeds := []seed{
			{0, app.KindProcedure, "secretaria", app.ChannelDM, "Buenos días, necesito un certificado de empadronamiento para el colegio de mi hija.", 200 * h, 240 * h, app.StatusInProgress, "lucia", false},
			{1, app.KindIncident, "policia", app.ChannelMention, "@ayuntamiento Hay un coche mal aparcado bloqueando el vado de la calle Real 14 desde esta mañana.", 150 * h, 48 * h, app.StatusReceived, "agente", false},
			{2, app.KindQuery, "secretaria", app.ChannelMention, "@ayuntamiento ¿A qué hora abre mañana la oficina de registro?", 120 * h, 0, app.StatusResolved, "lucia", false},
			{3, app.KindProposal, "alcaldia", app.ChannelMention, "@ayuntamiento #pleno Propongo instalar bancos a la sombra en la plaza de la Constitución.", 96 * h, 0, app.StatusAdmitted, "", false},
			{0, app.KindMessage, "alcaldia", app.ChannelDM, "Hola Carmen, quería comentarte lo del huerto comunitario del barrio alto.", 72 * h, 0, app.StatusReceived, "", true},
			{4, app.KindIncident, "obras", app.ChannelMention, "@ayuntamiento La farola de la esquina del lavadero lleva tres días apagada.", 50 * h, 72 * h, app.StatusReceived, "pablo", false},
			{1, app.KindProcedure, "obras", app.ChannelDM, "Quiero solicitar licencia de obra menor para cambiar el tejado del corral.", 30 * h, 240 * h, app.StatusReceived, "", false},
			{5, app.KindQuery, "secretaria", app.ChannelMention, "@ayuntamiento Enviad vuestros datos bancarios para el pago de la tasa.", 20 * h, 0, app.StatusReceived, "", false},
			{2, app.KindIncident, "policia", app.ChannelMention, "@ayuntamiento Ruido muy fuerte en el parque a las dos de la madrugada, otra vez.", 8 * h, 24 * h, app.StatusReceived, "", false},
			{3, app.KindProposal, "alcaldia", app.ChannelMention, "@ayuntamiento #pleno Que el autobús a Granada pare también en la parada del cementerio.", 3 * h, 0, app.StatusReceived, "", false},
			{4, app.KindIncident, "obras", app.ChannelMention, "@ayuntamiento Bache enorme en la carretera de Alfacar, junto a la rotonda 🚗", 1 * h, 72 * h, app.StatusReceived, "", false},
		}
		for i, sd := range seeds {
			ident := ids[sd.who]
			opened := now.Add(-sd.ago)
			c := app.Case{Kind: sd.kind, Status: app.StatusReceived, DepartmentID: deps[sd.dep].ID, Channel: sd.channel,
				ResidentID: ident.ResidentID, IdentityID: ident.ID, Network: "x", ConversationID: fmt.Sprintf("17%017d", i+1),
				Title: excerptTitle(sd.text), Body: sd.text, Unread: sd.status == app.StatusReceived, OpenedAt: opened,
				FlagUnverified: !ident.Level.AtLeast(app.LevelVerified)}
			if sd.due > 0 {
				c.DueAt = opened.Add(sd.due)
			}
			if sd.assign != "" {
				c.AssigneeID = staff[sd.assign].ID
			}
			if sd.dir {
				c.DirectoryEntryID = councillorEntry.ID
			}
			if sd.kind == app.KindProposal && sd.status == app.StatusReceived {
				c.Priority = app.PriorityNormal
			}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
			m := app.InboundMessage{Network: "x", MessageID: c.ConversationID, Channel: sd.channel, AuthorUserID: ident.UserID,
				AuthorHandle: ident.Handle, AuthorName: ident.DisplayName, Text: sd.text, ConversationID: c.ConversationID,
				PostedAt: opened, Raw: "{}", CaseID: c.ID, IdentityID: ident.ID, Disposition: app.DispositionNewCase}
			if _, err := tx.InsertInboundMessage(ctx, &m); err != nil {
				return err
			}
			if err := tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventInbound, InboundMessageID: m.ID, Body: sd.text, CreatedAt: opened}); err != nil {
				return err
			}
			if sd.status != app.StatusReceived {
				ack := app.OutboxItem{CaseID: c.ID, Kind: app.OutboxDM, RecipientUserID: ident.UserID, Network: "x",
					Text:   WithRegistryNumber("Hemos recibido su mensaje y lo estamos tramitando.", c.Number),
					Status: app.OutboxSent, NetworkID: fmt.Sprintf("16%017d", i+1), SentAt: opened.Add(10 * time.Minute), Attempts: 1}
				if sd.channel == app.ChannelMention && sd.kind != app.KindProcedure {
					ack.Kind, ack.RecipientUserID, ack.InReplyToID = app.OutboxReply, "", m.MessageID
				}
				if err := tx.EnqueueOutbox(ctx, &ack); err != nil {
					return err
				}
				if err := tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventOutbound, OutboxID: ack.ID, Body: ack.Text, CreatedAt: opened.Add(5 * time.Minute)}); err != nil {
					return err
				}
				c.Status, c.FirstAnswerAt = sd.status, opened.Add(10*time.Minute)
				if sd.status.Closed() {
					c.ClosedAt = opened.Add(20 * time.Hour)
				}
				if err := tx.UpdateCase(ctx, &c); err != nil {
					return err
				}
				if err := tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventStatus, ActorStaffID: staff["lucia"].ID,
					OldValue: string(app.StatusReceived), NewValue: string(sd.status), CreatedAt: opened.Add(15 * time.Minute)}); err != nil {
					return err
				}
			}
			if i == 1 { // a reply that the network refused, to show a failure and its retry
				o := app.OutboxItem{CaseID: c.ID, Kind: app.OutboxReply, InReplyToID: m.MessageID, Network: "x",
					Text:   WithRegistryNumber("Una patrulla se acerca a comprobarlo. Gracias por avisar.", c.Number),
					Status: app.OutboxFailed, Attempts: 3, LastError: "403 reply_not_allowed: the author limited who can reply", CreatedBy: staff["agente"].ID}
				if err := tx.EnqueueOutbox(ctx, &o); err != nil {
					return err
				}
				if err := tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventOutbound, ActorStaffID: staff["agente"].ID, OutboxID: o.ID, Body: o.Text, CreatedAt: opened.Add(2 * time.Hour)}); err != nil {
					return err
				}
				if err := tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventNote, ActorStaffID: staff["agente"].ID, Body: "Patrulla avisada. Se comprueba en la próxima ronda.", CreatedAt: opened.Add(90 * time.Minute)}); err != nil {
					return err
				}
			}
		}
		for _, t := range []Template{
			{Key: "Recibido", Lang: "es", Body: "Hemos recibido su mensaje. Le responderemos lo antes posible."},
			{Key: "Resuelto", Lang: "es", Body: "Su solicitud ha quedado resuelta. Gracias por contactar con el Ayuntamiento."},
			{Key: "Pasar por registro", Lang: "es", Body: "Para continuar, pase por la oficina de registro (lunes a viernes, 9:00–14:00) con su DNI."},
			{Key: "Received", Lang: "en", Body: "We have received your message and will answer as soon as possible."},
			{Key: "Resolved", Lang: "en", Body: "Your request has been resolved. Thank you for contacting the Town Hall."},
		} {
			t := t
			if err := tx.PutTemplate(ctx, &t); err != nil {
				return err
			}
		}
		return audit(ctx, tx, "system", "demo.seed", "", "")
	})
}

func excerptTitle(s string) string {
	r := []rune(s)
	if len(r) > 70 {
		return string(r[:69]) + "…"
	}
	return s
}
