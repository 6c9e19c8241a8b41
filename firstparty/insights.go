package firstparty

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// InsightsService reads a verified creator's first-party insights.
type InsightsService struct{ c *Client }

// GetInsightsParams are the inputs of Get and GetAndWait.
type GetInsightsParams struct {
	// CreatorID is the creator_id Verify returned. Required; it becomes a
	// path segment, so it may not hold %, /, \, ?, #, control or invisible
	// characters, or leading or trailing spaces, nor be "." or "..".
	CreatorID string
	// Key, when set, is sent as ?key=. Ylytic's other insights URL carries
	// such a parameter without documenting it; leave it empty unless Ylytic
	// gives you one. The identifier rules apply (no control or invisible
	// characters, at most 256 bytes).
	Key string
}

// check refuses a creator id or key the identifier policy does not
// accept; nothing is sent.
func (p GetInsightsParams) check(op string) error {
	if err := transport.Refuse(vendor, op, "creator_id", check.PathParam(p.CreatorID)); err != nil {
		return err
	}
	if p.Key != "" {
		return transport.Refuse(vendor, op, "key", check.ID(p.Key))
	}
	return nil
}

// InsightsStatus is the processing state of insights that are not ready.
type InsightsStatus string

// Processing states. ASSUMPTION: Ylytic documents only the ready body and
// the webhook's status ("success" or "failed" with a status_reason); the
// SDK takes a body with a "status" of "failed" as failed insights, and
// any other body without profile_overview as still processing.
const (
	InsightsProcessing InsightsStatus = "processing"
	InsightsFailed     InsightsStatus = "failed"
)

// Insights is the body of Get Instagram Creator Insights. Sections are nil
// until Ylytic sends them: Ready reports whether the insights are there.
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type Insights struct {
	ProfileOverview    *ProfileOverview    `json:"profile_overview,omitempty"`
	ProfileDetails     *ProfileDetails     `json:"profile_details,omitempty"`
	ReachAndEngagement *ReachAndEngagement `json:"get_reach_and_engagement_details,omitempty"`
	Posts              *Posts              `json:"get_posts,omitempty"`
	GrowthTrends       *GrowthTrends       `json:"get_growth_trends,omitempty"`
	// Audience is null until Ylytic has the audience breakdown; its shape
	// is not documented and is kept as sent (see AudienceAvailable).
	Audience json.RawMessage `json:"get_audience,omitempty"`
	// UnrelatedData is a section the sample shows as {"status":"locked"}.
	UnrelatedData *Section `json:"unrelated_data,omitempty"`

	// CreatorID, Status and StatusReason are read from a body that is not
	// ready (an ASSUMPTION; see InsightsStatus). Empty on a ready body.
	CreatorID string `json:"creator_id,omitempty"`
	// Status is a control field: a value of the wrong type there fails
	// the call with ErrUnexpectedResponse (the SDK cannot tell failed
	// insights from pending ones).
	Status       InsightsStatus `json:"status,omitempty" creatorkit:"control"`
	StatusReason string         `json:"status_reason,omitempty"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response; Response.DecodeIssues
	// lists the values that did not fit their Go types (each left at its
	// zero value).
	Response *ResponseMeta `json:"-"`

	// overview: the body carried a non-null profile_overview, whether or
	// not it fitted ProfileOverview.
	overview bool
}

// Ready reports whether the insights are there: the body carries
// profile_overview (also when its content did not fit ProfileOverview, so
// a drifted section never makes GetAndWait poll forever; see
// Response.DecodeIssues).
func (in *Insights) Ready() bool { return in != nil && (in.ProfileOverview != nil || in.overview) }

// Failed reports a body whose status is "failed".
func (in *Insights) Failed() bool {
	return in != nil && !in.Ready() && strings.EqualFold(string(in.Status), string(InsightsFailed))
}

// AudienceAvailable reports whether get_audience holds data (it is null
// until Ylytic has it).
func (in *Insights) AudienceAvailable() bool { return in != nil && !isNull(in.Audience) }

// Section is a section whose content the documentation does not show: it
// keeps the body as sent and reads its "status" ("locked").
type Section struct {
	// Status is the section's "status" field, when it has one.
	Status string
	// Raw is the section as sent.
	Raw json.RawMessage
}

// Locked reports a status of "locked".
func (s *Section) Locked() bool { return s != nil && strings.EqualFold(s.Status, "locked") }

// decodeSection is the tolerant decoding of a Section (registered with
// jsonx.Register). Raw keeps the section as
// sent whatever its shape; a "status" that is not a string is reported.
func decodeSection(d *jsonx.Decoder, b []byte, s *Section) {
	*s = Section{Raw: append(json.RawMessage(nil), bytes.TrimSpace(b)...)}
	var members map[string]json.RawMessage
	if json.Unmarshal(b, &members) != nil {
		return // not an object: kept in Raw, which is the whole section
	}
	if st, ok := members["status"]; ok {
		d.Field("status", st, &s.Status)
	}
}

// UnmarshalJSON implements json.Unmarshaler.
func (s *Section) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, s) }

// MarshalJSON implements json.Marshaler.
func (s Section) MarshalJSON() ([]byte, error) {
	if s.Raw != nil {
		return s.Raw, nil
	}
	if s.Status == "" {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]string{"status": s.Status})
}

// Get reads a creator's Instagram insights once. Insights take a while
// after the creator connects: until then the result is not Ready (see
// GetAndWait, or the creator_insights_1p webhook). Insights Ylytic could
// not produce come back with an *ItemError next to the body: Input is the
// creator id, Item is "instagram/id:<creator id>" (ID stays empty: the
// insights have no id of their own), State is the insights status
// ("failed"),
// Reason is Ylytic's status_reason ("Private Account"; never empty), and
// Err is ErrInsightsFailed, so errors.Is(err, ErrInsightsFailed) holds.
func (s *InsightsService) Get(ctx context.Context, p GetInsightsParams) (*Insights, error) {
	const op = "Insights.Get"
	if err := p.check(op); err != nil {
		return nil, err
	}
	path := strings.ReplaceAll(s.c.paths.Insights, creatorIDPlaceholder, p.CreatorID)
	var q url.Values
	if p.Key != "" {
		q = url.Values{"key": {p.Key}}
	}
	var in Insights
	if _, err := s.c.ins.Do(ctx, transport.Request{Op: op, Method: "GET", Path: path, Route: route(s.c.paths.Insights), Query: q}, &in); err != nil {
		return nil, err
	}
	if in.ProfileOverview == nil {
		var probe struct {
			Overview json.RawMessage `json:"profile_overview"`
		}
		in.overview = json.Unmarshal(in.Raw, &probe) == nil && !isNull(probe.Overview)
	}
	if in.Failed() {
		return &in, s.c.insightsFailed(p.CreatorID, &in)
	}
	return &in, nil
}

// insightsFailed is the *ItemError of insights Ylytic could not produce,
// redacted like everything built from an answer.
func (c *Client) insightsFailed(creatorID string, in *Insights) *ItemError {
	reason := strings.TrimSpace(in.StatusReason)
	if reason == "" {
		reason = "insights failed (Ylytic gave no status_reason)"
	}
	e := &ItemError{Vendor: vendor, Input: creatorID, Item: creatorItem(creatorID), State: string(in.Status), Reason: reason, Err: ErrInsightsFailed}
	c.ins.RedactValue(e)
	return e
}

func init() { jsonx.Register(decodeSection) }
