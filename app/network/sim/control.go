package sim

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

func (s *Server) controlRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_sim/accounts", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, s.Accounts())
	})
	mux.HandleFunc("POST /_sim/accounts", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Handle, Name string }
		if !decode(w, r, &in) {
			return
		}
		a, err := s.CreateAccount(in.Handle, in.Name)
		if err != nil {
			replyErr(w, err)
			return
		}
		reply(w, http.StatusCreated, a)
	})
	mux.HandleFunc("POST /_sim/accounts/{id}/rename", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Handle string }
		if !decode(w, r, &in) {
			return
		}
		a, err := s.RenameAccount(r.PathValue("id"), in.Handle)
		if err != nil {
			replyErr(w, err)
			return
		}
		reply(w, http.StatusOK, a)
	})
	mux.HandleFunc("POST /_sim/posts", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Author    string `json:"author"`
			Text      string `json:"text"`
			InReplyTo string `json:"in_reply_to"`
		}
		if !decode(w, r, &in) {
			return
		}
		p, err := s.Post(in.Author, in.Text, in.InReplyTo)
		if err != nil {
			replyErr(w, err)
			return
		}
		reply(w, http.StatusCreated, p)
	})
	mux.HandleFunc("POST /_sim/dms", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ From, Text string }
		if !decode(w, r, &in) {
			return
		}
		d, err := s.SendDM(in.From, in.Text)
		if err != nil {
			replyErr(w, err)
			return
		}
		reply(w, http.StatusCreated, d)
	})
	mux.HandleFunc("GET /_sim/owner/posts", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, nonNil(s.OwnerPosts()))
	})
	mux.HandleFunc("GET /_sim/owner/dms", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, nonNil(s.OwnerDMs()))
	})
	mux.HandleFunc("GET /_sim/owner", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, s.Owner())
	})
	mux.HandleFunc("GET /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, nonNil(s.Faults()))
	})
	mux.HandleFunc("POST /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if !decode(w, r, &f) {
			return
		}
		switch f.Kind {
		case Fault429, Fault5xx, FaultSlow, FaultDrop, FaultPartial, FaultUsageCapped, FaultClientNotEnrolled, FaultDuplicate:
		default:
			reply(w, http.StatusBadRequest, map[string]string{"error": "unknown fault kind " + string(f.Kind)})
			return
		}
		s.InjectFault(f)
		reply(w, http.StatusCreated, f)
	})
	mux.HandleFunc("DELETE /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_sim/stats", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, s.Stats())
	})
	mux.HandleFunc("POST /_sim/scenario", func(w http.ResponseWriter, r *http.Request) {
		if err := s.LoadScenario(r.Body); err != nil {
			replyErr(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /_sim/save", func(w http.ResponseWriter, r *http.Request) {
		if err := s.Save(); err != nil {
			replyErr(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		reply(w, http.StatusBadRequest, map[string]string{"error": "invalid JSON: " + err.Error()})
		return false
	}
	return true
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", jsonType)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func replyErr(w http.ResponseWriter, err error) {
	status := http.StatusBadRequest
	switch {
	case errors.Is(err, ErrNoAccount), errors.Is(err, ErrNoPost):
		status = http.StatusNotFound
	case errors.Is(err, ErrHandleTaken):
		status = http.StatusConflict
	}
	reply(w, status, map[string]string{"error": strings.TrimPrefix(err.Error(), "sim: ")})
}
