package firstpartytest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// session is one verification URL: a creator on their way through the
// connect page.
type session struct {
	id          string
	connector   firstparty.Platform
	redirectURL string
	state       string
	outcome     Outcome
}

// grant is a token the connect page issued.
type grant struct {
	session *session
	expires time.Time
	creator *creator // set once verified
}

// creator is a verified creator. Its insights are ready (or failed) at
// ready; settled marks that the webhook has gone out.
type creator struct {
	id      string
	session *session
	ready   time.Time
	settled bool
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// uuid formats 16 random bytes like Ylytic's creator ids.
func uuid() string {
	h := randomHex(16)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// decode reads a JSON body, answering 400 for a malformed one.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	return s.f.DecodeJSON(w, r, v, "The body must be JSON.")
}

func (s *Server) createURL(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Connector   string `json:"connector"`
		RedirectURL string `json:"redirectUrl"`
		State       string `json:"state"`
	}
	if !s.decode(w, r, &body) {
		return
	}
	conn := firstparty.Platform(strings.ToLower(strings.TrimSpace(body.Connector)))
	if conn != firstparty.Instagram && conn != firstparty.YouTube {
		s.f.Error(w, http.StatusBadRequest, "connector must be instagram or youtube.")
		return
	}
	u, err := url.Parse(body.RedirectURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		s.f.Error(w, http.StatusBadRequest, "redirectUrl must be an absolute URL.")
		return
	}
	if body.State == "" {
		s.f.Error(w, http.StatusBadRequest, "state is required.")
		return
	}
	s.mu.Lock()
	sess := s.byState[body.State]
	if sess == nil || sess.connector != conn || sess.redirectURL != body.RedirectURL {
		s.seq++
		sess = &session{id: fmt.Sprintf("%d%s", s.seq, randomHex(8)), connector: conn, redirectURL: body.RedirectURL, state: body.State}
		sess.outcome = s.cfg.outcome(conn, body.State)
		if sess.outcome.Handle == "" {
			sess.outcome.Handle = SampleHandle
		}
		if sess.outcome.Name == "" { // the creator universe's name (the sample's for the sample's handle)
			sess.outcome.Name = universe.Get(string(conn), sess.outcome.Handle).Name
		}
		s.sessions[sess.id] = sess
		s.byState[body.State] = sess
	}
	s.mu.Unlock()
	fake.JSON(w, http.StatusOK, map[string]any{"redirectUrl": s.URL + "/connect/" + sess.id, "state": body.State})
}

// connect is the creator's side: Ylytic's connect page, which here logs
// the creator in at once and sends them back.
func (s *Server) connect(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	sess := s.sessions[r.PathValue("sid")]
	if sess == nil {
		s.mu.Unlock()
		http.Error(w, "This connect link is not valid.", http.StatusNotFound)
		return
	}
	back, _ := url.Parse(sess.redirectURL)
	q := back.Query()
	q.Set("state", sess.state)
	if sess.outcome.Decline {
		q.Set("error", "access_denied")
	} else {
		tok := randomHex(24)
		s.tokens[tok] = &grant{session: sess, expires: time.Now().Add(s.Scale(s.cfg.tokenTTL))}
		q.Set("token", tok)
	}
	s.mu.Unlock()
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	var body struct {
		State string `json:"state"`
		Token string `json:"token"`
	}
	if !s.decode(w, r, &body) {
		return
	}
	if body.State == "" || body.Token == "" {
		s.f.Error(w, http.StatusBadRequest, "state and token are required.")
		return
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.tokens[body.Token]
	switch {
	case g == nil || g.session.state != body.State:
		fake.JSON(w, http.StatusOK, failedVerification(body.State, nil, "invalid_token", "The token is invalid or does not belong to this state."))
		return
	case g.creator != nil: // a repeat: same answer
		fake.JSON(w, http.StatusOK, verified(g.creator))
		return
	case !now.Before(g.expires):
		fake.JSON(w, http.StatusOK, failedVerification(body.State, g.session, "token_expired", "The token has expired."))
		return
	case g.session.outcome.VerifyError != "":
		fake.JSON(w, http.StatusOK, failedVerification(body.State, g.session, "verification_failed", g.session.outcome.VerifyError))
		return
	}
	c := &creator{id: uuid(), session: g.session, ready: now.Add(s.Scale(s.cfg.insightsDelay))}
	g.creator = c
	s.creators[c.id] = c
	s.due.Add(c.ready, c)
	s.f.At(c.ready, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.settleDue(time.Now())
	})
	fake.JSON(w, http.StatusOK, verified(c))
}

func verified(c *creator) map[string]any {
	o := c.session.outcome
	return map[string]any{
		"state": c.session.state, "status": "success", "connector": c.session.connector, "creator_id": c.id,
		"user_info":  map[string]any{"name": o.Name, "email": "", "ig_user_id": igUserID(o.Handle), "ig_username": o.Handle},
		"error_info": nil,
	}
}

func failedVerification(state string, sess *session, code, msg string) map[string]any {
	var conn any
	if sess != nil {
		conn = sess.connector
	}
	return map[string]any{"state": state, "status": "failed", "connector": conn, "creator_id": nil, "user_info": nil,
		"error_info": map[string]any{"code": code, "message": msg}}
}

// igUserID derives a stable numeric id from a handle (the sample's id for
// the sample's handle).
func igUserID(handle string) string {
	if handle == SampleHandle {
		return "44746813468"
	}
	var h uint64 = 14695981039346656037
	for _, c := range []byte(handle) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return fmt.Sprintf("%d", 10_000_000_000+h%90_000_000_000)
}

// settleDue sends the webhook of every creator whose insights are due,
// earliest first. Callers hold s.mu.
func (s *Server) settleDue(now time.Time) {
	for _, c := range s.due.Pop(now) {
		if c.settled {
			continue
		}
		c.settled = true
		if s.webhookURL == "" {
			continue
		}
		o := c.session.outcome
		ev := map[string]any{"type": firstparty.EventCreatorInsights1P, "status": firstparty.WebhookSuccess, "status_reason": "",
			"identifier": o.Handle, "connector": c.session.connector, "state": c.session.state}
		if o.InsightsFail != "" {
			ev["status"], ev["status_reason"] = firstparty.WebhookFailed, o.InsightsFail
		}
		s.f.PostJSON(&s.deliveries, s.webhookURL, ev)
	}
}

func (s *Server) insights(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	s.mu.Lock()
	s.settleDue(now)
	c := s.creators[r.PathValue("id")]
	var o Outcome
	var ready time.Time
	var conn firstparty.Platform
	if c != nil {
		o, ready, conn = c.session.outcome, c.ready, c.session.connector
	}
	s.mu.Unlock()
	switch {
	case c == nil:
		s.f.Error(w, http.StatusNotFound, "No creator with that id.")
	case now.Before(ready):
		w.Header().Set("Retry-After", fmt.Sprintf("%.3f", ready.Sub(now).Seconds()))
		fake.JSON(w, http.StatusAccepted, map[string]any{"creator_id": c.id, "status": firstparty.InsightsProcessing})
	case o.InsightsFail != "":
		fake.JSON(w, http.StatusOK, map[string]any{"creator_id": c.id, "status": firstparty.InsightsFailed, "status_reason": o.InsightsFail})
	default:
		body, err := insightsBody(o, conn, s.clock.Date(ready), ready)
		if err != nil {
			s.f.Error(w, http.StatusInternalServerError, err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	}
}
