package hypeauditor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// MarketAnalysisService runs HypeAuditor's Market Analysis API: the
// Instagram competitor analysis of a brand (its mentions by creators over
// a period). It lives on its own root, https://hypeauditor.com/api/marketanalysis/
// (see WithMarketAnalysisBaseURL), shares the client's credentials and
// rate limiter, and sends no v parameter (neither the documentation's
// sample nor the real client that calls it does).
//
// Sources: the creation call (POST instagramCompetitorAnalysis with a
// JSON body) and its answer are documented [DOC]; reading an analysis by
// id (GET instagramCompetitorAnalysis/{report_id}) and its posts (POST
// instagramCompetitorAnalysis/posts) come from a real client [CLIENT].
// The API is plan-gated (PRO and Enterprise, per a client's note).
//
// Cost: not documented, neither its amount nor its unit (the vendor
// notes, §13, name none; the Market Analysis API is a plan of its own).
// Creating an analysis is treated as possibly paid [INFERRED]: it is
// never sent twice once it may have reached HypeAuditor (a 5xx or a lost
// answer is ErrOutcomeUnknown, and CreateAndWait then stops rather than
// create another). It reserves nothing against WithBudget or
// WithDiscoveryBudget and counts no spend in Usage, since no unit it
// would spend is known; Usage counts its calls and requests like any
// other's (the market analysis root's usage is summed into
// Client.Usage). Reading an analysis is treated as free.
type MarketAnalysisService struct{ c *Client }

// Market analysis states [DOC]: 0 while HypeAuditor calculates the
// analysis, 10 when it is ready.
const (
	MarketStateCalculating = 0
	MarketStateReady       = 10
)

// CompetitorAnalysisParams are the body of a new Instagram competitor
// analysis [DOC]: the brand's Username (required), the period DateFrom
// to DateTo ("yyyy-mm-dd", both required), and optionally the audience
// countries (lowercase ISO 3166 alpha-2, "us") and hashtags (without
// "#") to count as mentions.
type CompetitorAnalysisParams struct {
	Username    string   `json:"username"`
	DateFrom    string   `json:"date_from"`
	DateTo      string   `json:"date_to"`
	AudienceGeo []string `json:"audience_geo,omitempty"`
	Hashtags    []string `json:"hashtags,omitempty"`
}

func (p CompetitorAnalysisParams) check(op string) (CompetitorAnalysisParams, error) {
	name, err := instagramHandle(op, "username", p.Username)
	if err != nil {
		return p, err
	}
	p.Username = name
	from, msg := check.Date(p.DateFrom)
	if msg != "" {
		return p, invalidParams(op, "date_from", "date_from %s (yyyy-mm-dd)", msg)
	}
	to, msg := check.Date(p.DateTo)
	if msg != "" {
		return p, invalidParams(op, "date_to", "date_to %s (yyyy-mm-dd)", msg)
	}
	if to.Before(from) {
		return p, invalidParams(op, "date_to", "date_to %s is before date_from %s", p.DateTo, p.DateFrom)
	}
	for _, c := range p.AudienceGeo {
		if msg := countryCode(c); msg != "" {
			return p, invalidParams(op, "audience_geo", "%s", msg)
		}
	}
	tags := make([]string, len(p.Hashtags))
	for i, h := range p.Hashtags {
		tags[i] = strings.TrimPrefix(h, "#")
		if _, err := handle(op, "hashtags", tags[i]); err != nil {
			return p, err
		}
	}
	if p.Hashtags != nil {
		p.Hashtags = tags
	}
	return p, nil
}

// CompetitorAnalysisIDParams name an analysis by its report_id (as
// CompetitorBasic.ReportID gave it).
type CompetitorAnalysisIDParams struct {
	ReportID string
}

// CompetitorAnalysis is the answer of the Market Analysis API: an
// analysis and its state. The documented answer has no "result" wrapper;
// one that has it decodes too.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type CompetitorAnalysis struct {
	Report *CompetitorReport `json:"report,omitempty"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`

	st ReportStatus // the state as the AndWait helpers read it
}

// CompetitorReport is one analysis: what was asked (Config), its state
// and id (Basic) and when it was last updated.
type CompetitorReport struct {
	Config CompetitorConfig `json:"config,omitzero"`
	Basic  CompetitorBasic  `json:"basic"`
	// TimeUpdated is documented without a format; every layout the SDK
	// knows decodes.
	TimeUpdated *Time `json:"time_updated,omitempty"`
}

// CompetitorConfig is the analysis as asked for. Mode is "FULL" and Type
// "ig_mentions" in the documentation's sample; Settings has no documented
// shape and is kept raw.
type CompetitorConfig struct {
	Username    string          `json:"username,omitempty"`
	DateFrom    string          `json:"date_from,omitempty"`
	DateTo      string          `json:"date_to,omitempty"`
	AudienceGeo []string        `json:"audience_geo,omitzero"`
	Hashtags    []string        `json:"hashtags,omitzero"`
	Settings    json.RawMessage `json:"settings,omitzero"`
	Mode        string          `json:"mode,omitempty"`
	Type        string          `json:"type,omitempty"`
}

// CompetitorBasic identifies an analysis and says how far it is.
// ReportID and State are control fields: an answer where either does not
// fit is ErrUnexpectedResponse.
type CompetitorBasic struct {
	Type        string   `json:"type,omitempty"`
	Username    string   `json:"username,omitempty"`
	DateFrom    string   `json:"date_from,omitempty"`
	DateTo      string   `json:"date_to,omitempty"`
	AudienceGeo []string `json:"audience_geo,omitzero"`
	// ReportID names the analysis in Get, GetAndWait and Posts. Control
	// field.
	ReportID ID `json:"report_id" creatorkit:"control"`
	// State is MarketStateCalculating (0) or MarketStateReady (10)
	// [DOC]. Control field.
	State     Int    `json:"state" creatorkit:"control"`
	AvatarURL string `json:"avatar_url,omitempty"`
	SocialID  ID     `json:"social_id,omitempty"`
}

// ReportID returns the analysis's id, or "".
func (a *CompetitorAnalysis) ReportID() string {
	if a == nil || a.Report == nil {
		return ""
	}
	return string(a.Report.Basic.ReportID)
}

// Ready reports whether the analysis is ready (state 10).
func (a *CompetitorAnalysis) Ready() bool {
	return a != nil && a.Report != nil && a.Report.Basic.State == MarketStateReady
}

// Calculating reports whether HypeAuditor is still calculating it (state
// 0).
func (a *CompetitorAnalysis) Calculating() bool {
	return a != nil && a.Report != nil && a.Report.Basic.State == MarketStateCalculating
}

func (a *CompetitorAnalysis) status() *ReportStatus { return &a.st }

// setMeta keeps the body and metadata and derives the state the waits
// read: NOT_READY while calculating, READY when ready, and no state for
// any other value (a terminal answer the wait returns as it is).
func (a *CompetitorAnalysis) setMeta(raw json.RawMessage, m *ResponseMeta) {
	a.Raw, a.Response = raw, m
	a.st = ReportStatus{}
	switch {
	case a.Calculating():
		a.st.State = StateNotReady
	case a.Ready():
		a.st.State = StateReady
	}
}

// CompetitorPostsParams page through the posts of an analysis [CLIENT]:
// ReportID (required), From and Size sent as "from" and "size" when set.
// The client that calls it passes a page number as from; whether from is
// a page or an offset is not known.
type CompetitorPostsParams struct {
	ReportID string `json:"report_id"`
	From     int    `json:"from,omitempty"`
	Size     int    `json:"size,omitempty"`
}

// CompetitorPosts is the answer of instagramCompetitorAnalysis/posts. Its
// shape is not documented and no client shows it, so it is kept as
// received: read it with Decode [CLIENT].
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type CompetitorPosts struct {
	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Decode unmarshals the answer into out.
func (p *CompetitorPosts) Decode(out any) error { return json.Unmarshal(p.Raw, out) }

// Create starts an Instagram competitor analysis and returns it, usually
// in state 0 (calculating). See the service for its cost: it is never
// resent once it may have reached HypeAuditor.
func (s *MarketAnalysisService) Create(ctx context.Context, p CompetitorAnalysisParams) (*CompetitorAnalysis, error) {
	const op = "MarketAnalysis.Create"
	p, err := p.check(op)
	if err != nil {
		return nil, err
	}
	return s.create(ctx, op, p)
}

func (s *MarketAnalysisService) create(ctx context.Context, op string, p CompetitorAnalysisParams) (*CompetitorAnalysis, error) {
	return s.fetch(ctx, transport.Request{Op: op, Method: http.MethodPost, Path: "instagramCompetitorAnalysis", Route: "instagramCompetitorAnalysis", Body: p, Retry: transport.RetryOnce})
}

// Get returns an analysis by its report id, in whatever state it is
// [CLIENT].
func (s *MarketAnalysisService) Get(ctx context.Context, p CompetitorAnalysisIDParams) (*CompetitorAnalysis, error) {
	const op = "MarketAnalysis.Get"
	id, err := reportID(op, p.ReportID)
	if err != nil {
		return nil, err
	}
	return s.get(ctx, op, id)
}

func (s *MarketAnalysisService) get(ctx context.Context, op, id string) (*CompetitorAnalysis, error) {
	return s.fetch(ctx, transport.Request{Op: op, Method: http.MethodGet, Path: "instagramCompetitorAnalysis/" + url.PathEscape(id), Route: "instagramCompetitorAnalysis/{report_id}"})
}

// Posts returns the posts an analysis found [CLIENT]. It is a read sent
// as a POST, so it is retried like a GET.
func (s *MarketAnalysisService) Posts(ctx context.Context, p CompetitorPostsParams) (*CompetitorPosts, error) {
	const op = "MarketAnalysis.Posts"
	id, err := reportID(op, p.ReportID)
	if err != nil {
		return nil, err
	}
	if p.From < 0 || p.Size < 0 {
		return nil, invalidParams(op, "from", "from and size must be >= 0, got %d and %d", p.From, p.Size)
	}
	p.ReportID = id
	var raw json.RawMessage
	meta, err := s.c.mt.Do(ctx, transport.Request{Op: op, Method: http.MethodPost, Path: "instagramCompetitorAnalysis/posts", Route: "instagramCompetitorAnalysis/posts", Body: p, Retry: transport.RetryIdempotent}, &raw)
	if err != nil {
		return nil, err
	}
	return &CompetitorPosts{Raw: raw, Response: meta}, nil
}

// GetAndWait reads an analysis until it is ready (state 10), asking
// again at the wait's own intervals (WithPollInterval: HypeAuditor sends
// no retryTtl here, so WithMaxRetryTTL is refused). It returns the ready
// analysis; an analysis in a state other than 0 and 10 as soon as it is
// seen (Ready false: a state the documentation does not name); the last
// calculating analysis and an *ItemError (Item "instagram/id:<report
// id>", State NOT_READY, Err a *TimeoutError) when the context ends
// first. Failed checks (429, 5xx, lost connections after the
// transport's retries) are outlasted as in the report waits: as many in
// a row as WithMaxRetries.
func (s *MarketAnalysisService) GetAndWait(ctx context.Context, p CompetitorAnalysisIDParams, opts ...WaitOption) (*CompetitorAnalysis, error) {
	const op = "MarketAnalysis.GetAndWait"
	id, err := reportID(op, p.ReportID)
	if err != nil {
		return nil, err
	}
	cfg, err := s.waitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	rc := reportCall{op: op, network: Instagram, input: p.ReportID, account: id, byID: true}
	return waitFor(ctx, s.c, op, &rc, cfg, func(ctx context.Context, _ bool) (*CompetitorAnalysis, error) { return s.get(ctx, op, id) })
}

// CreateAndWait creates an analysis once, then reads it by its report id
// until it is ready, as GetAndWait does. The creation is sent again only
// after a transient answer that says it was not processed (a 429, a
// connection that failed before the request was written); once it may
// have reached HypeAuditor it is never resent (ErrOutcomeUnknown). When
// the context ends first, the *ItemError's Item is "instagram/@<brand>"
// and its ID the analysis's report_id once one came back.
func (s *MarketAnalysisService) CreateAndWait(ctx context.Context, p CompetitorAnalysisParams, opts ...WaitOption) (*CompetitorAnalysis, error) {
	const op = "MarketAnalysis.CreateAndWait"
	input := p.Username
	p, err := p.check(op)
	if err != nil {
		return nil, err
	}
	cfg, err := s.waitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	rc := reportCall{op: op, network: Instagram, input: input, account: p.Username, sendOnce: true}
	return waitFor(ctx, s.c, op, &rc, cfg, func(ctx context.Context, _ bool) (*CompetitorAnalysis, error) {
		if rc.id != "" {
			return s.get(ctx, op, rc.id)
		}
		a, err := s.create(ctx, op, p)
		if err != nil {
			return nil, err
		}
		if rc.id = a.ReportID(); rc.id == "" && !a.Ready() {
			// Nothing to follow, and creating again would pay again.
			e := transport.NewError(vendor, op, ErrUnexpectedResponse, "the new analysis has no report_id to follow")
			e.StatusCode, e.RequestID = a.Response.GetStatusCode(), a.Response.GetRequestID()
			return nil, e
		}
		return a, nil
	})
}

// waitConfig is a market analysis wait's config: WithMaxRetryTTL, which
// these waits cannot use, is refused.
func (s *MarketAnalysisService) waitConfig(op string, opts []WaitOption) (waitConfig, error) {
	cfg, err := s.c.newWaitConfig(op, opts)
	if err == nil && cfg.maxRetryTTLSet {
		err = invalidParams(op, "options", "WithMaxRetryTTL applies to the waits HypeAuditor sends a retryTtl to (the report, history and PDF waits, Reports.*AndWait); it sends none to MarketAnalysis.GetAndWait and CreateAndWait")
	}
	return cfg, err
}

// fetch sends one market analysis request and decodes {"report": ...},
// or {"result": {"report": ...}}. An answer without a report is
// ErrUnexpectedResponse.
func (s *MarketAnalysisService) fetch(ctx context.Context, req transport.Request) (*CompetitorAnalysis, error) {
	var env struct {
		Report *CompetitorReport `json:"report"`
		Result *struct {
			Report *CompetitorReport `json:"report"`
		} `json:"result"`
		Raw json.RawMessage `json:"-"`
	}
	meta, err := s.c.mt.Do(ctx, req, &env)
	if err != nil {
		return nil, err
	}
	a := &CompetitorAnalysis{Report: env.Report}
	if a.Report == nil && env.Result != nil {
		a.Report = env.Result.Report
	}
	if err := s.c.checkShapes(req.Op, meta, true, "report", "result.report"); err != nil {
		return nil, err
	}
	if a.Report == nil {
		e := transport.NewError(vendor, req.Op, ErrUnexpectedResponse, "the answer has no report")
		e.StatusCode, e.RequestID, e.Attempts = meta.StatusCode, meta.RequestID, meta.Attempts
		return nil, e
	}
	a.setMeta(env.Raw, meta)
	return a, nil
}

// reportID checks an analysis id: the identifier policy for path
// parameters (it is sent in the path).
func reportID(op, v string) (string, error) {
	if msg := check.Handle(v); msg != "" {
		return "", invalidParams(op, "report_id", "report_id %s", msg)
	}
	return v, nil
}

// marketAnalysisURL derives the market analysis root from the method
// root: the folder "marketanalysis" beside the method root's last folder
// (https://hypeauditor.com/api/method/ -> https://hypeauditor.com/api/marketanalysis/).
func marketAnalysisURL(methodRoot string) string {
	base, err := url.Parse(methodRoot)
	if err != nil {
		return methodRoot
	}
	return base.ResolveReference(&url.URL{Path: "../marketanalysis/"}).String()
}

// WithMarketAnalysisBaseURL sets the root of the Market Analysis API
// (default: "marketanalysis/" beside the method root, so
// https://hypeauditor.com/api/marketanalysis/ by default, and the fake's
// own under a hypeauditortest server's URL).
func WithMarketAnalysisBaseURL(u string) Option {
	o := transport.WithBaseURL(u)
	return func(c *config) error {
		tmp := c.Settings
		if err := o(&tmp); err != nil {
			return err
		}
		c.marketURL = tmp.BaseURL
		return nil
	}
}
