package firstparty

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// ConnectFlow runs Ylytic's consent flow for a web app: Start issues a
// state and returns the verification URL to send the creator to;
// CallbackHandler serves your redirect URL, refuses callbacks whose state
// you did not issue (forged, replayed or expired), verifies the creator and
// hands you the result.
//
//	flow, _ := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{
//		RedirectURL: "https://app.example.com/callback",
//		Session:     sessionID, // func(*http.Request) string: your session cookie
//	})
//	http.HandleFunc("/connect", func(w http.ResponseWriter, r *http.Request) {
//		v, err := flow.Start(r.Context(), firstparty.StartParams{Platform: firstparty.Instagram, Session: sessionID(r), Data: userID(r)})
//		if err != nil { ... }
//		http.Redirect(w, r, v.RedirectURL, http.StatusFound)
//	})
//	http.Handle("/callback", flow.CallbackHandler(func(w http.ResponseWriter, r *http.Request, res *firstparty.CallbackResult, err error) {
//		if err != nil { ... }                        // errors.Is(err, firstparty.ErrInvalidState): a forged callback
//		save(res.Issued.Data, res.Creator.CreatorID) // Verify succeeded
//	}))
//
// A ConnectFlow is safe for concurrent use.
type ConnectFlow struct {
	c   *Client
	cfg ConnectConfig
}

// ConnectConfig configures a ConnectFlow.
type ConnectConfig struct {
	// RedirectURL is your callback's absolute http(s) URL, sent to Ylytic
	// with every verification URL. Required.
	RedirectURL string
	// TTL is how long an issued state stays valid (default DefaultStateTTL).
	TTL time.Duration
	// Store remembers issued states (default: NewMemoryStateStore(0), right
	// for a single process).
	Store StateStore
	// TokenParam and StateParam name the callback's query (or form)
	// parameters. ASSUMPTION: Ylytic's page says the creator comes back to
	// the redirect URL with a token and the state but does not name the
	// parameters; the defaults are "token" and "state".
	TokenParam, StateParam string
	// Session, when set, binds each flow to the browser that started it:
	// it returns the id of the browser session a request belongs to (from
	// your session cookie), Start records StartParams.Session, and the
	// callback handler refuses a callback whose request belongs to another
	// session. This stops a callback URL captured by one person from
	// connecting their account to someone else's session (login CSRF),
	// which a valid, unused state alone cannot.
	Session func(r *http.Request) string
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
}

// DefaultStateTTL is how long a state stays valid unless ConnectConfig.TTL
// says otherwise: long enough to log in to Instagram and grant access.
const DefaultStateTTL = 15 * time.Minute

// NewConnectFlow returns a flow that uses c for Ylytic's calls.
func NewConnectFlow(c *Client, cfg ConnectConfig) (*ConnectFlow, error) {
	const op = "NewConnectFlow"
	if c == nil {
		return nil, invalidParams(op, "client", "client is nil")
	}
	if err := checkRedirectURL(op, cfg.RedirectURL); err != nil {
		return nil, err
	}
	if cfg.TTL < 0 {
		return nil, invalidParams(op, "TTL", "TTL must not be negative, got %s", cfg.TTL)
	}
	if cfg.TTL == 0 {
		cfg.TTL = DefaultStateTTL
	}
	if cfg.Store == nil {
		cfg.Store = NewMemoryStateStore(0)
	}
	if cfg.TokenParam == "" {
		cfg.TokenParam = "token"
	}
	if cfg.StateParam == "" {
		cfg.StateParam = "state"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.RedirectURL = strings.TrimSpace(cfg.RedirectURL)
	return &ConnectFlow{c: c, cfg: cfg}, nil
}

// StartParams are the inputs of Start.
type StartParams struct {
	// Platform is the network to connect: Instagram or YouTube. Required.
	Platform Platform
	// Data is your own value to bind to the state (a user or session id);
	// the callback hands it back in CallbackResult.Issued. It is kept in
	// the StateStore, never sent to Ylytic.
	Data string
	// Session is the id of the browser session starting the flow; the
	// callback must come from the same one. Required when
	// ConnectConfig.Session is set (CallbackHandler then reads the
	// callback's session with it); without it, only set Session if you
	// call Complete yourself with CallbackParams.Session.
	Session string
}

// Start issues a new state (NewState), saves it in the store, and asks
// Ylytic for the verification URL (Verification.CreateURL, which the
// transport retries like a read: a 429, a 5xx or a lost connection is
// asked again up to WithMaxRetries times). Redirect the creator's browser
// to the result's RedirectURL. If Ylytic's call fails, the state is
// dropped and the error returned: start again.
func (f *ConnectFlow) Start(ctx context.Context, p StartParams) (*VerificationURL, error) {
	const op = "ConnectFlow.Start"
	conn, err := normalizePlatform(op, p.Platform)
	if err != nil {
		return nil, err
	}
	now := f.cfg.Now()
	if f.cfg.Session != nil && p.Session == "" {
		return nil, invalidParams(op, "Session", "the flow binds states to sessions (ConnectConfig.Session): StartParams.Session is required")
	}
	ctx, end := f.c.t.Observe(ctx, op)
	v, err := f.start(ctx, op, conn, IssuedState{State: NewState(), Platform: conn, Data: p.Data, Session: p.Session, Issued: now, Expires: now.Add(f.cfg.TTL)})
	end(0, 0, err)
	return v, err
}

// start saves the state and asks for its verification URL.
func (f *ConnectFlow) start(ctx context.Context, op string, conn Platform, st IssuedState) (*VerificationURL, error) {
	if err := f.cfg.Store.Save(ctx, st); err != nil {
		return nil, fmt.Errorf("firstparty: %s: saving the state: %w", op, err)
	}
	v, err := f.c.Verification.CreateURL(ctx, CreateVerificationURLParams{Platform: conn, RedirectURL: f.cfg.RedirectURL, State: st.State})
	if err == nil && v.State != "" && v.State != st.State {
		err = fmt.Errorf("firstparty: %s: the verification URL is for another state: %w", op, ErrUnexpectedResponse)
	}
	if err != nil {
		_, _, _ = f.cfg.Store.Consume(context.WithoutCancel(ctx), st.State)
		return nil, err
	}
	return v, nil
}

// ErrInvalidState is the kind of a *StateError: a callback whose state
// was not issued by this flow, was already used, or has expired. Such a
// callback is refused before Verify Creator is called.
var ErrInvalidState = errors.New("invalid callback state")

// StateError says why a callback's state was refused.
type StateError struct {
	// Reason is "missing", "malformed", "unknown or already used",
	// "expired" or "issued to another session".
	Reason string
}

// Error says why the callback was refused.
func (e *StateError) Error() string { return "firstparty: callback refused: state " + e.Reason }

// Unwrap returns ErrInvalidState.
func (e *StateError) Unwrap() error { return ErrInvalidState }

// Is reports a missing or malformed state as ErrInvalidParams too: the
// identifier policy refused it before anything was looked up or sent.
func (e *StateError) Is(target error) bool {
	return target == ErrInvalidParams && (e.Reason == "missing" || e.Reason == "malformed")
}

// ErrMissingToken is returned for a callback with a valid state but no
// token (the creator cancelled, or Ylytic reported an error). The state is
// used up: start again.
var ErrMissingToken = errors.New("callback carried no token")

// CallbackParams are what the creator's browser brought back.
type CallbackParams struct {
	State string
	Token string
	// Error is an "error" parameter, if the callback carried one
	// (ASSUMPTION: Ylytic does not document one; it is reported, not
	// relied upon).
	Error string
	// Session is the id of the browser session the callback came from;
	// it must match the one the state was issued to, if any.
	Session string
}

// CallbackResult is a verified callback.
//
// It has no Raw or Response of its own: Creator, Verify Creator's answer,
// has them.
type CallbackResult struct {
	// Issued is the state as Start saved it, with your Data.
	Issued IssuedState
	// Creator is Verify Creator's answer; nil when Verify was not reached.
	Creator *Verification
}

// Complete checks a callback and verifies the creator. Before anything
// else, the state and the token must pass the identifier policy (a state
// that does not is a *StateError "malformed", a token that does not is an
// ErrInvalidParams error; neither uses up the state). Then the state must
// have been issued by Start, be unused and unexpired (it is used up by
// this call), and belong to the same session if it was issued to one, and
// a token must be present; then it calls Verify Creator. A refused state
// is a *StateError (errors.Is(err, ErrInvalidState)) and nothing is sent
// to Ylytic. A verification Ylytic refuses returns the result with a
// *VerificationError.
//
// Verify Creator is sent once per try (see Verify: the transport retries
// a 429 and a connection that failed before the request went out, up to
// WithMaxRetries times, and never resends a request that may have reached
// Ylytic). A try whose answer was lost after the request may have reached
// Ylytic (ErrOutcomeUnknown from Verify: a dropped connection, a 5xx, a
// garbled body) is reconciled: Complete asks again with the same state
// and token after a backoff on the client's retry waits, and the first
// answer decides. It asks again at most as many times in a row as the
// client's retries (WithMaxRetries, the one policy of every wait); when
// the last try is lost too, Complete returns its ErrOutcomeUnknown error.
// ASSUMPTION: Ylytic answers a repeat of a verification it made with the
// same creator (its documentation is silent); if it answers with a
// failure instead, Complete returns that *VerificationError also marked
// ErrOutcomeUnknown, since the lost request may have verified the creator.
//
// When Ylytic gave no answer (the context ended first, a lost answer
// outlasted the tries, or a 429 or an unreachable host outlasted the
// transport's retries), the state is put back in the store, so the same
// callback can be completed once more. When the context ended, the error
// is a *TimeoutError that wraps the context's error and the last
// transient answer.
func (f *ConnectFlow) Complete(ctx context.Context, p CallbackParams) (*CallbackResult, error) {
	const op = "ConnectFlow.Complete"
	if p.State == "" {
		return nil, &StateError{Reason: "missing"}
	}
	if check.ID(p.State) != "" {
		return nil, &StateError{Reason: "malformed"}
	}
	hasToken := strings.TrimSpace(p.Token) != ""
	if hasToken {
		if err := transport.Refuse(vendor, op, "token", check.Token(p.Token)); err != nil {
			return nil, err
		}
	}
	issued, found, err := f.cfg.Store.Consume(ctx, p.State)
	if err != nil {
		return nil, fmt.Errorf("firstparty: reading the state store: %w", err)
	}
	// The store found it; compare again in constant time so that a store
	// with a lenient lookup (a case-insensitive collation) cannot admit a
	// look-alike state.
	if !found || subtle.ConstantTimeCompare([]byte(issued.State), []byte(p.State)) != 1 {
		return nil, &StateError{Reason: "unknown or already used"}
	}
	if !issued.Expires.IsZero() && !f.cfg.Now().Before(issued.Expires) {
		return nil, &StateError{Reason: "expired"}
	}
	if issued.Session != "" && subtle.ConstantTimeCompare([]byte(issued.Session), []byte(p.Session)) != 1 {
		return nil, &StateError{Reason: "issued to another session"}
	}
	res := &CallbackResult{Issued: issued}
	if !hasToken {
		if p.Error != "" {
			return res, fmt.Errorf("firstparty: %w (error %q)", ErrMissingToken, check.Clip(p.Error, maxCallbackError))
		}
		return res, fmt.Errorf("firstparty: %w", ErrMissingToken)
	}
	ctx, end := f.c.t.Observe(ctx, op)
	tries := 0
	lost := false    // a Verify Creator request may have reached Ylytic without an answer
	var answer error // Verify's error when Ylytic answered (a refusal, an unreadable answer)
	cfg := poll.Config{Initial: f.c.retryMin, Max: f.c.retryMax, Multiplier: 2, Tolerate: f.c.t.MaxRetries()}
	v, err := poll.Until(ctx, vendor, op, cfg, func(ctx context.Context) (*Verification, poll.Status, error) {
		tries++
		v, err := f.c.Verification.Verify(ctx, VerifyCreatorParams{State: p.State, Token: p.Token})
		switch {
		case err == nil:
			return v, poll.Status{Done: true}, nil
		case ctx.Err() != nil:
			return v, poll.Status{}, ctx.Err() // the context ended: a *TimeoutError
		case errors.Is(err, ErrOutcomeUnknown):
			// Reconcile: ask again with the same state and token.
			lost = true
			return v, poll.Status{}, lostAnswer{err}
		default:
			answer = err
			return v, poll.Status{Done: true}, nil
		}
	})
	if err == nil {
		err = answer
	} else if la, ok := err.(lostAnswer); ok {
		err = la.err // the last try was lost too
	}
	res.Creator = v
	var ve *VerificationError
	if lost && errors.As(err, &ve) {
		// Refused after a request whose answer was lost: that request may
		// have verified the creator and used the token up.
		err = fmt.Errorf("%w (%w: an earlier Verify Creator request for this callback, whose answer was lost, may have verified the creator)", err, ErrOutcomeUnknown)
	}
	var te *TimeoutError
	if errors.As(err, &te) {
		f.c.t.RedactValue(te)
	}
	if unanswered(err) {
		// No answer came: the creator may or may not be verified. Give the
		// state back so the callback can be completed (and reconciled).
		if serr := f.cfg.Store.Save(context.WithoutCancel(ctx), issued); serr != nil {
			err = fmt.Errorf("%w (the state could not be put back: %v)", err, serr)
		}
	}
	end(tries, 0, err)
	return res, err
}

// unanswered reports an outcome of Complete where Ylytic gave no answer
// about the verification: the context ended, the answer was lost, or the
// request never reached Ylytic (a 429 or a connection failure that
// outlasted the transport's retries).
func unanswered(err error) bool {
	var te *TimeoutError
	var ve *VerificationError
	switch {
	case err == nil || errors.As(err, &ve):
		return false
	case errors.As(err, &te):
		return true
	}
	return errors.Is(err, ErrOutcomeUnknown) || poll.IsTransient(err)
}

// lostAnswer is a Verify Creator answer that was lost after the request
// may have reached Ylytic: for Complete a reason to ask again (it is
// Temporary), not an end.
type lostAnswer struct{ err error }

func (l lostAnswer) Error() string   { return l.err.Error() }
func (l lostAnswer) Unwrap() error   { return l.err }
func (l lostAnswer) Temporary() bool { return true }

// maxCallbackError caps the callback's "error" parameter in an error text.
const maxCallbackError = 200

// maxCallbackBody caps a form-posted callback.
const maxCallbackBody = 64 << 10

// CallbackFunc receives the outcome of a callback and writes the answer
// to the creator's browser (a page, or a redirect into your app). err is
// nil when the creator is verified; res is nil when the state was refused.
type CallbackFunc func(w http.ResponseWriter, r *http.Request, res *CallbackResult, err error)

// CallbackHandler serves the redirect URL. It reads the state and token
// from the query (or a POSTed form), runs Complete with the request's
// context, sets Cache-Control: no-store and Referrer-Policy: no-referrer
// (the URL carries a token), and calls fn, which writes the response. It
// answers 405 to methods other than GET and POST without calling fn.
// It panics if fn is nil, as http.HandleFunc does.
func (f *ConnectFlow) CallbackHandler(fn CallbackFunc) http.Handler {
	if fn == nil {
		panic("firstparty: CallbackHandler needs a CallbackFunc")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			w.Header().Set("Allow", "GET, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxCallbackBody)
		}
		if err := r.ParseForm(); err != nil {
			fn(w, r, nil, &StateError{Reason: "malformed"})
			return
		}
		p := CallbackParams{State: r.Form.Get(f.cfg.StateParam), Token: r.Form.Get(f.cfg.TokenParam), Error: r.Form.Get("error")}
		if f.cfg.Session != nil {
			p.Session = f.cfg.Session(r)
		}
		res, err := f.Complete(r.Context(), p)
		fn(w, r, res, err)
	})
}
