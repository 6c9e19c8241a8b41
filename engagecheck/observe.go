package engagecheck

import (
	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Observer sees every call and every request a client makes (the
// creatorkit.Observer of every creatorkit-go package): give it to
// WithObserver. contrib/otel turns its events into OpenTelemetry spans and
// metrics.
type Observer = creatorkit.Observer

// WithObserver gives the client an observer. Each request is an attempt
// of a call named by its operation ("Audits.Get") and its route, the path
// template relative to the base URL: "audits" (POST: Audits.Create; GET:
// the list), "audits/batch", "audits/{id}" and "credits". GetAndWait,
// CreateAndWait and CreateAndWaitAll are calls of their own: their
// requests are observed inside them, and their end says how many status
// checks they made (Polls) and, for a roster, how many handles it
// answered (Items). Events never carry a key, an audit id, a handle or a
// query value. A nil observer is refused with ErrInvalidParams.
func WithObserver(o Observer) Option { return wrap(transport.WithObserver(o)) }

// The routes of EngageCheck's endpoints, ids replaced by placeholders.
const (
	routeAudits  = "audits"
	routeBatch   = "audits/batch"
	routeAudit   = "audits/{id}"
	routeCredits = "credits"
)
