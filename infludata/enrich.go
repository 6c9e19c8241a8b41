package infludata

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// EnrichmentService queues creators for enrichment (bulkAddToEnrich).
type EnrichmentService struct{ c *Client }

// Batch sizes of bulkAddToEnrich: usernames and userIds together.
const (
	MaxEnrichBatch      = 100
	MaxEnrichBatchTrial = 10
)

// EnrichParams are the inputs of Add.
type EnrichParams struct {
	// Platform is required: instagram, tiktok, youtube or twitch.
	Platform Platform
	// Usernames and UserIDs to queue; any number (Add splits them).
	// Duplicates are dropped before sending (usernames compared without
	// case and a leading @); every value must pass the identifier policy
	// (see GetProfileParams: a blank, padded or otherwise malformed value
	// is refused, not dropped), or Add sends nothing and fails with
	// ErrInvalidParams.
	Usernames []string
	UserIDs   []string
	// AddToWeeklyEnrichment also puts creators already in the database on
	// the weekly refresh schedule. Not available for trial keys.
	AddToWeeklyEnrichment bool
	// BatchSize overrides the per-call size (default 100, or 10 when the
	// client was built WithPlan(Trial)).
	BatchSize int
}

type enrichBody struct {
	Platform              Platform `json:"platform"`
	Usernames             []string `json:"usernames,omitempty"`
	UserIDs               []string `json:"userIds,omitempty"`
	AddToWeeklyEnrichment bool     `json:"addToWeeklyEnrichment"`
}

// EnrichResult is what Add returns: the merged answers of every call.
//
// It has Raw (the body as received, or a JSON array of every call's body
// when Add made several) and Response (the last call's metadata).
type EnrichResult struct {
	// Processed lists every creator queued.
	Processed []EnrichedCreator `json:"processed"`
	// Failed lists every creator influData refused; partial success is
	// normal.
	Failed []EnrichFailure `json:"failed"`
	// Summary sums the calls' summaries.
	Summary EnrichSummary `json:"summary"`

	// Calls is how many bulkAddToEnrich calls were made.
	Calls int `json:"-"`
	// Dropped lists inputs left out as duplicates.
	Dropped []string `json:"-"`
	// UnsentUsernames and UnsentUserIDs were not sent because a call
	// failed; Add returns them with the error.
	UnsentUsernames []string `json:"-"`
	UnsentUserIDs   []string `json:"-"`

	// Raw is the response body; when the input was split, the bodies of
	// every call as a JSON array, in order.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the last response.
	Response *ResponseMeta `json:"-"`
}

// IdentifierType says whether an identifier was a username or a userId.
type IdentifierType string

// Identifier types.
const (
	TypeUsername IdentifierType = "username"
	TypeUserID   IdentifierType = "userId"
)

// EnrichedCreator is one queued creator.
type EnrichedCreator struct {
	Identifier string         `json:"identifier"`
	Type       IdentifierType `json:"type"`
	// IsNewUser: the creator was not in the database (available in 24 to
	// 48 hours). influData sends it for usernames only; it is false on a
	// userId row.
	IsNewUser bool   `json:"isNewUser"`
	CreatorID string `json:"creatorId,omitempty"`
	Username  string `json:"username,omitempty"`
	// AddedToInstant: an instant refresh was queued.
	AddedToInstant bool `json:"addedToInstant"`
	// AddedToWeekly: the creator is on the weekly schedule.
	AddedToWeekly bool `json:"addedToWeekly"`
}

// EnrichFailure is one refused creator.
type EnrichFailure struct {
	Identifier string         `json:"identifier"`
	Type       IdentifierType `json:"type"`
	Error      string         `json:"error"`
}

// EnrichSummary counts a call's outcome.
type EnrichSummary struct {
	Total              int `json:"total"`
	ExistingInDatabase int `json:"existingInDatabase"`
	NewlyAdded         int `json:"newlyAdded"`
	AddedToInstant     int `json:"addedToInstant"`
	AddedToWeekly      int `json:"addedToWeekly"`
	Failed             int `json:"failed"`
}

func (s *EnrichSummary) add(o EnrichSummary) {
	s.Total += o.Total
	s.ExistingInDatabase += o.ExistingInDatabase
	s.NewlyAdded += o.NewlyAdded
	s.AddedToInstant += o.AddedToInstant
	s.AddedToWeekly += o.AddedToWeekly
	s.Failed += o.Failed
}

// dedupe drops duplicates (case-insensitive, ignoring a leading @ for
// usernames); blanks are kept for the identifier check to refuse.
func dedupe(in []string, handle bool, seen map[string]bool, dropped *[]string) []string {
	var out []string
	for _, v := range in {
		k := v
		if handle {
			k = strings.ToLower(strings.TrimPrefix(v, "@"))
		}
		if seen[k] {
			*dropped = append(*dropped, v)
			continue
		}
		seen[k] = true
		out = append(out, v)
	}
	return out
}

// Add queues creators for enrichment (bulkAddToEnrich). Free. It accepts
// any number: duplicates are dropped, every identifier is checked (a bad
// one fails the call before anything is sent), and the rest is sent in calls
// of at most 100 usernames plus userIds (10 on a trial key), and the
// answers are merged. New creators are typically available within 24 to 48
// hours.
//
// Each batch is one call, free and idempotent, so the transport retries a
// 429, a 5xx or a lost connection (WithMaxRetries). When a call fails
// anyway (a 4xx, a failure that outlasted the retries, the end of the
// context), Add stops and returns what the earlier calls did, with the
// identifiers not sent in UnsentUsernames and UnsentUserIDs, and that
// call's error: call Add again with them.
func (s *EnrichmentService) Add(ctx context.Context, p EnrichParams) (*EnrichResult, error) {
	const op = opEnrich
	if err := checkPlatform(op, p.Platform, Platform.HasDataStatus, "bulkAddToEnrich"); err != nil {
		return nil, err
	}
	if p.AddToWeeklyEnrichment && s.c.plan == Trial {
		return nil, invalidParams(op, "addToWeeklyEnrichment", "weekly enrichment is not available for trial keys")
	}
	size := p.BatchSize
	if size == 0 {
		size = MaxEnrichBatch
		if s.c.plan == Trial {
			size = MaxEnrichBatchTrial
		}
	}
	if size < 1 || size > MaxEnrichBatch {
		return nil, invalidParams(op, "BatchSize", "batch size must be 1 to %d, got %d", MaxEnrichBatch, size)
	}
	var dropped []string
	names := dedupe(p.Usernames, true, map[string]bool{}, &dropped)
	ids := dedupe(p.UserIDs, false, map[string]bool{}, &dropped)
	for _, v := range names {
		if err := checkUsername(op, "usernames", p.Platform, v); err != nil {
			return nil, err
		}
	}
	for _, v := range ids {
		if err := checkUserID(op, "userIds", p.Platform, v); err != nil {
			return nil, err
		}
	}
	if len(names)+len(ids) == 0 {
		return nil, invalidParams(op, "usernames", "no usernames or userIds given")
	}

	res := &EnrichResult{Processed: []EnrichedCreator{}, Failed: []EnrichFailure{}, Dropped: dropped}
	var raws []json.RawMessage
	for len(names)+len(ids) > 0 {
		n := min(size, len(names))
		body := enrichBody{Platform: p.Platform, Usernames: names[:n], AddToWeeklyEnrichment: p.AddToWeeklyEnrichment}
		m := min(size-n, len(ids))
		body.UserIDs = ids[:m]
		var r EnrichResult
		_, err := s.c.t.Do(ctx, transport.Request{Op: op, Method: "POST", Path: "bulkAddToEnrich", Route: "bulkAddToEnrich", Body: body, Retry: transport.RetryIdempotent}, &r)
		if err != nil {
			res.UnsentUsernames, res.UnsentUserIDs = names, ids
			res.Raw = joinRaw(raws)
			return res, err
		}
		res.Calls++
		res.Processed = append(res.Processed, r.Processed...)
		res.Failed = append(res.Failed, r.Failed...)
		res.Summary.add(r.Summary)
		res.Response = r.Response
		raws = append(raws, r.Raw)
		names, ids = names[n:], ids[m:]
	}
	res.Raw = joinRaw(raws)
	return res, nil
}

func joinRaw(raws []json.RawMessage) json.RawMessage {
	switch len(raws) {
	case 0:
		return nil
	case 1:
		return raws[0]
	}
	b, _ := json.Marshal(raws)
	return b
}
