package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"ventanilla/app"
)

// The vocabulary of a small Andalusian town hall's mentions and DMs: what residents report,
// ask for and propose, in the words they use (and the hashtags the default intake rules know).

var firstNames = []string{
	"María", "Carmen", "Josefa", "Isabel", "Ana", "Laura", "Lucía", "Cristina", "Marta", "Pilar",
	"Rosa", "Francisca", "Dolores", "Antonia", "Elena", "Paula", "Sara", "Raquel", "Inmaculada", "Encarnación",
	"Antonio", "José", "Manuel", "Francisco", "David", "Juan", "Javier", "Daniel", "Carlos", "Jesús",
	"Alejandro", "Miguel", "Rafael", "Pedro", "Pablo", "Sergio", "Fernando", "Jorge", "Luis", "Alberto",
	"Ángel", "Álvaro", "Adrián", "Rubén", "Andrés", "Ismael", "Nuria", "Alba", "Noelia", "Rocío",
}

var surnames = []string{
	"García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín",
	"Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez",
	"Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Molina",
	"Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Núñez",
	"Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto",
	"Méndez", "Cruz", "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña", "Flores",
}

var streets = []string{
	"calle Real", "calle Granada", "calle Ancha", "calle Nueva", "calle del Agua", "calle Iglesia", "calle Mayor",
	"calle San Sebastián", "calle Molino", "calle Cervantes", "calle Lorca", "calle Alhambra", "calle Sierra Nevada",
	"calle Olivo", "calle Almendro", "calle Rosal", "calle Jazmín", "calle Fuente", "calle Horno", "calle Cuesta Alta",
	"avenida de Andalucía", "avenida de la Constitución", "avenida de los Rosales", "camino de la Vega",
	"camino del Cementerio", "plaza del Ayuntamiento", "plaza de la Iglesia", "plaza de Santa Ana", "paseo del Río",
	"travesía de la Ermita", "carretera de Víznar", "barrio de la Cañada", "urbanización Los Pinos", "calle Acequia",
}

var places = []string{
	"el parque infantil", "la biblioteca municipal", "el polideportivo", "el centro de salud", "el colegio",
	"la piscina municipal", "el mercado", "el cementerio", "la guardería", "el centro de mayores",
	"la parada del autobús", "el punto limpio", "la plaza", "el pabellón", "el auditorio", "la casa de la cultura",
}

var times = []string{
	"desde ayer", "desde hace una semana", "desde hace días", "desde el lunes", "desde anoche", "otra vez",
	"desde hace un mes", "todas las noches", "cada fin de semana", "desde esta mañana",
}

var closings = []string{
	"Gracias.", "Gracias de antemano.", "Un saludo.", "¿Pueden revisarlo, por favor?", "Por favor, que alguien lo mire.",
	"Es un peligro para los niños.", "Los vecinos estamos hartos.", "Espero respuesta.", "Muchas gracias por todo.",
	"Adjunto foto.", "", "", "",
}

type phrase func(r *rand.Rand) string

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func street(r *rand.Rand) string {
	s := pick(r, streets)
	if r.IntN(2) == 0 {
		s += fmt.Sprintf(", %d", 1+r.IntN(80))
	}
	return s
}

var incidentBodies = []phrase{
	func(r *rand.Rand) string {
		return fmt.Sprintf("La farola de %s está fundida %s y la calle se queda sin luz.", street(r), pick(r, times))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Hay un bache enorme en %s, casi me caigo con la moto.", street(r))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Los contenedores de %s están llenos de basura %s y huele fatal.", street(r), pick(r, times))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Fuga de agua en %s, sale agua de una arqueta %s.", street(r), pick(r, times))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Un coche lleva aparcado encima de la acera en %s %s y no se puede pasar con el carrito.", street(r), pick(r, times))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Ruido de música muy alta en %s %s, no hay quien duerma.", street(r), pick(r, times))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("El columpio de %s está roto y es un peligro.", pick(r, places))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Se ha caído una rama grande en %s y corta el paso.", street(r))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("La acera de %s tiene las baldosas levantadas.", street(r))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Han dejado escombros y enseres junto al contenedor de %s.", street(r))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Perro suelto sin dueño por %s %s, da miedo.", street(r), pick(r, times))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("La alcantarilla de %s está atascada y cuando llueve se inunda la calle.", street(r))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Pintadas en la fachada de %s.", pick(r, places))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("El semáforo de %s no funciona %s.", street(r), pick(r, times))
	},
}

var proposalBodies = []phrase{
	func(r *rand.Rand) string {
		return fmt.Sprintf("Propongo que se instale un paso de peatones elevado en %s, los coches pasan muy rápido.", street(r))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Propuesta para el pleno: ampliar el horario de %s por las tardes.", pick(r, places))
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Pido que el pleno estudie plantar árboles en %s para dar sombra en verano.", street(r))
	},
	func(r *rand.Rand) string {
		return "Propongo crear un huerto urbano para los mayores del pueblo en el solar municipal."
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Solicito que se debata en el pleno la peatonalización de %s los fines de semana.", pick(r, streets))
	},
	func(r *rand.Rand) string {
		return "Propuesta: un autobús lanzadera a Granada los sábados por la mañana."
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Propongo poner bancos y una fuente de agua potable en %s.", pick(r, places))
	},
}

var procedureBodies = []phrase{
	func(r *rand.Rand) string {
		return "Buenos días, necesito el certificado de empadronamiento para presentarlo en el banco."
	},
	func(r *rand.Rand) string {
		return "Quisiera pedir cita previa con la trabajadora social la semana que viene."
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Solicito licencia de obra menor para una reforma del baño en %s.", street(r))
	},
	func(r *rand.Rand) string {
		return "Hay un error en mis datos del padrón, el segundo apellido está mal escrito. ¿Cómo lo puedo corregir?"
	},
	func(r *rand.Rand) string {
		return "Necesito un volante de empadronamiento y un certificado de convivencia para la beca de mi hija."
	},
	func(r *rand.Rand) string {
		return "Quiero pedir cita para renovar la tarjeta de aparcamiento de residentes."
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Quiero empadronarme en %s, me he mudado este mes.", street(r))
	},
}

var messageBodies = []phrase{
	func(r *rand.Rand) string {
		return fmt.Sprintf("¿Podría pasarse por %s para ver cómo está el tema del que hablamos en la reunión de vecinos?", street(r))
	},
	func(r *rand.Rand) string {
		return "Quería darle las gracias por la fiesta del pueblo, salió todo muy bien."
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("Me gustaría reunirme con usted para hablar de %s.", pick(r, places))
	},
	func(r *rand.Rand) string {
		return "Le escribo como presidenta de la asociación de vecinos para pedirle una reunión."
	},
}

var queryBodies = []phrase{
	func(r *rand.Rand) string { return fmt.Sprintf("¿A qué hora abre %s los sábados?", pick(r, places)) },
	func(r *rand.Rand) string { return "¿Cuándo pasa la recogida de enseres por el barrio?" },
	func(r *rand.Rand) string {
		return "¿Dónde se pueden consultar las bases de las ayudas para libros de texto?"
	},
	func(r *rand.Rand) string {
		return "¿Hasta cuándo hay plazo para apuntarse a los cursos de natación?"
	},
	func(r *rand.Rand) string {
		return fmt.Sprintf("¿Se va a cortar el tráfico en %s por las obras?", street(r))
	},
	func(r *rand.Rand) string { return "¿Qué teléfono tiene la Policía Local para urgencias?" },
	func(r *rand.Rand) string { return "¿Cuándo se paga el IBI este año? No me ha llegado la carta." },
	func(r *rand.Rand) string {
		return fmt.Sprintf("¿Hay que pedir permiso para una mudanza en %s?", street(r))
	},
}

var replies = []phrase{
	func(r *rand.Rand) string { return "Gracias por la respuesta." },
	func(r *rand.Rand) string { return "Sigue igual, ¿hay alguna novedad?" },
	func(r *rand.Rand) string { return "Ya está arreglado, muchas gracias." },
	func(r *rand.Rand) string { return fmt.Sprintf("Añado que también pasa en %s.", street(r)) },
	func(r *rand.Rand) string { return "¿Saben cuándo vendrán a mirarlo?" },
	func(r *rand.Rand) string { return "Perfecto, quedo a la espera." },
	func(r *rand.Rand) string { return "Han venido esta mañana pero no lo han terminado." },
	func(r *rand.Rand) string { return "Mi DNI ya lo tienen, ¿necesitan algo más?" },
}

// kindWeights is how often each kind comes in, per thousand.
var kindWeights = []struct {
	kind app.CaseKind
	w    int
}{{app.KindIncident, 420}, {app.KindQuery, 250}, {app.KindProcedure, 150}, {app.KindMessage, 90}, {app.KindProposal, 90}}

func pickKind(r *rand.Rand) app.CaseKind {
	n := r.IntN(1000)
	for _, k := range kindWeights {
		if n < k.w {
			return k.kind
		}
		n -= k.w
	}
	return app.KindQuery
}

// caseText writes what a resident posts or sends to open a case of kind k. Public posts
// mention the town hall (or the police, or a councillor); hashtags follow the default rules.
func caseText(r *rand.Rand, k app.CaseKind, ch app.Channel, townHall, police, councillor string) string {
	var body string
	var tags []string
	to := "@" + townHall
	switch k {
	case app.KindIncident:
		body = pick(r, incidentBodies)(r)
		tags = append(tags, "#incidencia")
		if r.IntN(8) == 0 {
			to = "@" + police
		}
	case app.KindProposal:
		body = pick(r, proposalBodies)(r)
		tags = append(tags, pick(r, []string{"#pleno", "#propuesta"}))
	case app.KindProcedure:
		body = pick(r, procedureBodies)(r)
	case app.KindMessage:
		body = pick(r, messageBodies)(r)
		to = "@" + councillor
	default:
		body = pick(r, queryBodies)(r)
	}
	if r.IntN(5) == 0 {
		tags = append(tags, pick(r, []string{"#Villaverde", "#vecinos", "#pueblo"}))
	}
	var b strings.Builder
	if ch != app.ChannelDM || k == app.KindMessage {
		b.WriteString(to)
		b.WriteByte(' ')
	} else if r.IntN(2) == 0 {
		b.WriteString(pick(r, []string{"Hola, ", "Buenos días, ", "Buenas tardes. "}))
	}
	b.WriteString(body)
	if c := pick(r, closings); c != "" {
		b.WriteByte(' ')
		b.WriteString(c)
	}
	for _, t := range tags {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	return b.String()
}

func replyText(r *rand.Rand) string { return pick(r, replies)(r) }

// dni builds a valid DNI from a number.
func dni(n int) string {
	n %= 100_000_000
	return fmt.Sprintf("%08d%c", n, "TRWAGMYFPDXBNJZSQVHLCKE"[n%23])
}

// title is the first line of a text, shortened for the inbox (as intake does).
func title(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	line = strings.Join(strings.Fields(line), " ")
	if rs := []rune(line); len(rs) > 90 {
		line = string(rs[:89]) + "…"
	}
	return line
}
