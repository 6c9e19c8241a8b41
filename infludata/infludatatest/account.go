package infludatatest

import (
	"fmt"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fake"
)

// getClientInfo answers the key's account; free.
func (s *Server) getClientInfo(w http.ResponseWriter, r *http.Request, a *account) {
	id := r.URL.Query().Get("clientId")
	s.mu.Lock()
	defer s.mu.Unlock()
	if id != "" && id != "default" && id != a.clientID {
		s.f.Error(w, http.StatusNotFound, "Unknown clientId for this key")
		return
	}
	exp := a.expires
	if exp.IsZero() {
		exp = a.created.AddDate(1, 0, 0)
	}
	fake.JSON(w, http.StatusOK, map[string]any{"clientId": a.clientID, "reportsLeft": a.tokens,
		"reports":     []map[string]any{{"package": string(a.plan), "tokensRemaining": a.tokens, "expirationDate": exp.UTC().Format(time.DateOnly)}},
		"createdDate": iso(a.created), "lastUsed": time.Now().UTC().Format(time.DateOnly)})
}

// signup is a pending trial verification.
type signup struct {
	email    string
	code     string
	expires  time.Time
	attempts int
}

// Trial signup rules (documented: 15-minute codes, 5 attempts per code,
// 250 requests for 14 days; the per-IP limit is the fake's choice).
const (
	codeValidity     = 15 * time.Minute
	maxCodeAttempts  = 5
	trialRequests    = 250
	trialValidity    = 14 * 24 * time.Hour
	signupsPerWindow = 5
	signupWindow     = 10 * time.Minute
)

var disposable = []string{"mailinator.com", "yopmail.com", "guerrillamail.com", "10minutemail.com", "tempmail.com", "trashmail.com"}

// normalizeEmail lowercases the address and drops a +alias: one trial per
// inbox.
func normalizeEmail(e string) string {
	e = strings.ToLower(strings.TrimSpace(e))
	local, domain, ok := strings.Cut(e, "@")
	if !ok {
		return e
	}
	local, _, _ = strings.Cut(local, "+")
	return local + "@" + domain
}

func validEmail(e string) bool {
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && strings.Contains(e[strings.LastIndex(e, "@")+1:], ".")
}

func readJSON(r *http.Request, v any) error { return fake.ReadJSON(r, 1<<20, v) }

// VerificationCode returns the code the fake "emailed" to an address, as
// a test would read it from the inbox.
func (s *Server) VerificationCode(email string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.signups[normalizeEmail(email)]
	if p == nil {
		return "", false
	}
	return p.code, true
}

func (s *Server) createTrialKey(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Email   string `json:"email"`
		Company string `json:"company"`
	}
	if readJSON(r, &body) != nil || !validEmail(body.Email) || utf8.RuneCountInString(body.Company) > 120 {
		s.f.Error(w, http.StatusBadRequest, "Invalid email address")
		return
	}
	domain := strings.ToLower(body.Email[strings.LastIndex(body.Email, "@")+1:])
	for _, d := range disposable {
		if domain == d {
			s.f.Error(w, http.StatusBadRequest, "Disposable email domains are not accepted")
			return
		}
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	now := time.Now()
	norm := normalizeEmail(body.Email)
	s.mu.Lock()
	defer s.mu.Unlock()
	var recent []time.Time
	for _, t := range s.signupIP[ip] {
		if now.Sub(t) < s.Scale(signupWindow) {
			recent = append(recent, t)
		}
	}
	s.signupIP[ip] = recent
	switch {
	case s.issued[norm]:
		s.f.Error(w, http.StatusConflict, "A trial key was already issued for this email")
		return
	case s.keysMade >= s.cfg.signupCap:
		s.f.Error(w, http.StatusServiceUnavailable, "Global trial signup caps reached; retry later")
		return
	case len(recent) >= signupsPerWindow:
		s.f.Error(w, http.StatusTooManyRequests, "Signup rate limit reached")
		return
	}
	s.signupIP[ip] = append(recent, now)
	code := fmt.Sprintf("%06d", hash(fmt.Sprint(norm, now.UnixNano()))%1000000)
	s.signups[norm] = &signup{email: body.Email, code: code, expires: now.Add(s.Scale(codeValidity))}
	fake.JSON(w, http.StatusOK, map[string]any{
		"success":              true,
		"message":              fmt.Sprintf("A 6-digit verification code was sent to %s. It expires in 15 minutes.", body.Email),
		"nextStep":             map[string]any{"method": "POST", "url": s.BaseURL() + "/verifyTrialKey", "body": map[string]string{"email": body.Email, "code": "<6-digit code from the email>"}},
		"codeExpiresInMinutes": 15,
	})
}

func (s *Server) verifyTrialKey(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Email string `json:"email"`
		Code  string `json:"code"`
	}
	if readJSON(r, &body) != nil || !validEmail(body.Email) || len(body.Code) != 6 {
		s.f.Error(w, http.StatusBadRequest, "Missing or malformed email or code")
		return
	}
	now := time.Now()
	norm := normalizeEmail(body.Email)
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.signups[norm]
	switch {
	case p == nil:
		s.f.Error(w, http.StatusNotFound, "No pending verification; request a code first")
		return
	case now.After(p.expires):
		s.f.Error(w, http.StatusGone, "Code expired; request a new one")
		return
	case p.attempts >= maxCodeAttempts:
		s.f.Error(w, http.StatusTooManyRequests, "Too many incorrect attempts; request a new code")
		return
	case body.Code != p.code:
		p.attempts++
		fake.JSON(w, http.StatusUnauthorized, map[string]any{"error": "Incorrect code", "attemptsRemaining": maxCodeAttempts - p.attempts})
		return
	}
	delete(s.signups, norm)
	s.issued[norm] = true
	s.keysMade++
	key := "trial_" + hexID(fmt.Sprint("key/", norm, now.UnixNano()))
	clientID := "trial-" + hexID(norm)[:10]
	expires := now.Add(s.Scale(trialValidity))
	s.addAccount(key, clientID, infludata.Trial, trialRequests, expires)
	fake.JSON(w, http.StatusCreated, map[string]any{
		"success": true, "apiKey": key, "clientId": clientID, "expiresAt": iso(expires), "requestsIncluded": trialRequests,
		"rateLimit": map[string]int{"perSecond": 2, "perMinute": 60}, "baseUrl": s.BaseURL(),
		"quickstart": fmt.Sprintf(`curl -H "Authorization: Bearer <apiKey>" "%s/getUserData?platform=instagram&username=cristiano"`, s.BaseURL()),
	})
}
