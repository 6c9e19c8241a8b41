package hypeauditor

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// ReportsService requests reports. Each call returns the report when it is
// ready; otherwise it starts (or checks on) its generation and returns it
// with State NOT_READY and RetryTTL set, without an error. The AndWait
// variants ask again after each retryTtl until the report is ready.
//
// Cost [DOC]: the first request for an account spends one report credit
// (UnitReportCredits) and unlocks the report for a year; asking again
// (polling) within that year is free; a report whose generation fails
// (private, deleted, ...) is refunded (since 2025-02-10). The metrics
// histories (TwitchHistory, InstagramHistory, TikTokHistory,
// TwitterHistory) unlock the report, and a PDF export (PDF) costs a
// credit unless the report is unlocked: they cost the same, are counted
// as requests for the same account, and everything below holds for them
// too. The reads beside a report (Media, BrandMentions, YouTubeMedia) are
// free: HypeAuditor refuses them (code 15) before the report is unlocked
// instead of unlocking it. A request for an
// account this client has not seen unlocked may be the one that unlocks
// it: it reserves one credit against WithBudget (ErrBudgetExceeded,
// nothing sent, when the budget cannot hold it), and once it may have
// reached HypeAuditor it is never sent again, by the SDK or by net/http:
// a lost answer or a 5xx is ErrOutcomeUnknown, counted as one
// SpentUnknown credit. Asking again is then free if that request unlocked
// the report, and unlocks it once if it did not (the AndWait helpers do
// it themselves). A request for an account the client saw unlocked (a
// re-poll) is free: it reserves nothing and is retried after 5xx answers
// and lost connections like any GET. Client.Usage says how each answer is
// counted.
//
// An account HypeAuditor cannot report on comes back as an *ItemError
// (errors.Is(err, ErrReportUnavailable)): Input is the account as given,
// Item as sent, ID the user id when the report was asked for by id, State
// the report state (PRIVATE, DELETED, RESTRICTED, LOW_VIEWS,
// CHANNEL_NOT_FOUND, NO_VIDEOS, NO_VIEWS, REPORT_CALCULATING, or NO_POSTS
// for the documented 403 of an account without posts), Reason why in
// words (never empty) and Err ErrReportUnavailable; when the outcome came
// as an HTTP error, Err also unwraps to that *Error (errors.Is(err,
// ErrNotFound) holds for a 404, errors.As gives its status and request
// id). READY_LOW_CONFIDENCE is a result, not an error: the report's
// MissingBlocks lists what it lacks.
type ReportsService struct{ c *Client }

// InstagramParams select an Instagram account: Username (one leading "@"
// is dropped; Instagram's shape: 1 to 30 letters, digits, periods and
// underscores) or UserID (the numeric Instagram id), not both.
type InstagramParams struct {
	Username string
	UserID   string
	// Features asks for optional blocks (FeatureRanking, ...).
	Features []InstagramFeature
}

// TikTokParams select a TikTok account: Channel (the username from
// tiktok.com/@name; one leading "@" is dropped) or UserID (numeric), not
// both.
type TikTokParams struct {
	Channel string
	UserID  string
	// Features asks for optional blocks, sent as a comma-separated
	// features parameter like YouTube's; no TikTok feature names are
	// documented, so any well-formed name is sent (lowercase letters,
	// digits and underscores). Blocks that come back beside the report
	// are in TikTokReport.Features.
	Features []string
}

// YouTubeParams select a YouTube channel by id (UCLA_DiR1FfKNvjuUpBHmylQ)
// or handle (NASA, from youtube.com/@NASA; one leading "@" is dropped).
type YouTubeParams struct {
	Channel string
	// Features asks for optional blocks; no YouTube feature names are
	// documented, so any well-formed name is sent (lowercase letters,
	// digits and underscores). Blocks that come back beside the report are
	// in YouTubeReport.Features.
	Features []string
	// Type is sent as the type parameter when set. Real clients send
	// YouTubeAdvancedReport [CLIENT]; its effect is not documented (on
	// Instagram a third-party summary calls "advanced_report" the full
	// report and the default, and a developer found other values ignored
	// and the full report charged). Any well-formed value is sent
	// (lowercase letters, digits and underscores).
	Type YouTubeReportType
}

// YouTubeReportType is the type parameter of auditor.youtube.
type YouTubeReportType string

// YouTubeAdvancedReport is the type real clients send on auditor.youtube
// [CLIENT].
const YouTubeAdvancedReport YouTubeReportType = "advanced_report"

// ChannelParams select a Twitch, Twitter or Snapchat account by its
// username (twitch.tv/nasa, x.com/nasa, snapchat.com/add/nasa -> "nasa").
type ChannelParams struct {
	Channel string
}

type reportResult interface {
	status() *ReportStatus
	setMeta(raw json.RawMessage, meta *ResponseMeta)
	// accountID is the account's id in the report, "" when it has none.
	accountID() ID
}

// reportCall is one validated report request.
type reportCall struct {
	op      string
	network Platform
	input   string // the account as the caller gave it
	account string // the account as sent
	byID    bool   // account is a user id
	path    string
	query   url.Values
	// sendOnce: a lost answer ends a wait instead of asking again (a
	// market analysis creation, which asking again would repeat).
	sendOnce bool
	// id is the vendor's id of the work once known (a market analysis's
	// report_id), for ItemError.ID.
	id string
}

// item is the account as HypeAuditor knows it, as ItemError.Item says
// it: "<platform>/id:<id>" for a user id or a YouTube channel id (or, on
// a market analysis wait, the analysis's report_id), else
// "<platform>/@<handle>".
func (rc reportCall) item() string {
	if rc.byID || (rc.network == YouTube && youTubeChannelID(rc.account)) {
		return string(rc.network) + "/id:" + rc.account
	}
	return string(rc.network) + "/@" + rc.account
}

// later names the call that reads the item later, for the reason of a
// wait that ended first: the wait's single call (Reports.Instagram for
// Reports.InstagramAndWait), MarketAnalysis.Get for the analyses.
func (rc reportCall) later() string {
	if strings.HasPrefix(rc.op, "MarketAnalysis.") {
		return "MarketAnalysis.Get"
	}
	return strings.TrimSuffix(strings.TrimSuffix(rc.op, "All"), "AndWait")
}

// itemError is the *ItemError of the item: Input as given, Item as
// HypeAuditor knows it (a user id is there: "tiktok/id:<id>"), ID the id
// of HypeAuditor's work when it has one of its own (a market analysis's
// report_id once CreateAndWait got it; a report has none); credentials
// redacted by the caller.
func (rc reportCall) itemError(state, reason string, cause error) *ItemError {
	return &ItemError{Vendor: vendor, Input: rc.input, Item: rc.item(), ID: rc.id, State: state, Reason: reason, Err: cause}
}

func (p InstagramParams) call(op string) (reportCall, error) {
	name, id, err := oneOf(op, "username", p.Username, "user_id", p.UserID, instagramHandle)
	if err != nil {
		return reportCall{}, err
	}
	q := url.Values{}
	rc := reportCall{op: op, network: Instagram, input: p.Username, query: q}
	if id != "" {
		rc.path, rc.account, rc.input, rc.byID = "auditor.reportByUserId", id, p.UserID, true
		q.Set("user_id", id)
	} else {
		rc.path, rc.account = "auditor.report", name
		q.Set("username", name)
	}
	feats := make([]string, len(p.Features))
	for i, f := range p.Features {
		feats[i] = string(f)
	}
	if err := setFeatures(op, q, feats); err != nil {
		return rc, err
	}
	return rc, nil
}

func (p TikTokParams) call(op string) (reportCall, error) {
	name, id, err := oneOf(op, "channel", p.Channel, "user_id", p.UserID, handle)
	if err != nil {
		return reportCall{}, err
	}
	q := url.Values{}
	rc := reportCall{op: op, network: TikTok, input: p.Channel, query: q}
	if id != "" {
		rc.path, rc.account, rc.input, rc.byID = "auditor.tiktokByUserId", id, p.UserID, true
		q.Set("user_id", id)
	} else {
		rc.path, rc.account = "auditor.tiktok", name
		q.Set("channel", name)
	}
	if err := setFeatures(op, q, p.Features); err != nil {
		return rc, err
	}
	return rc, nil
}

func (p YouTubeParams) call(op string) (reportCall, error) {
	ch, err := youTubeChannel(op, "channel", p.Channel)
	if err != nil {
		return reportCall{}, err
	}
	q := url.Values{"channel": {ch}}
	if err := setFeatures(op, q, p.Features); err != nil {
		return reportCall{}, err
	}
	if err := setType(op, q, string(p.Type)); err != nil {
		return reportCall{}, err
	}
	return reportCall{op: op, network: YouTube, input: p.Channel, account: ch, path: "auditor.youtube", query: q}, nil
}

func (p ChannelParams) call(op string, net Platform, path string) (reportCall, error) {
	ch, err := handle(op, "channel", p.Channel)
	if err != nil {
		return reportCall{}, err
	}
	return reportCall{op: op, network: net, input: p.Channel, account: ch, path: path, query: url.Values{"channel": {ch}}}, nil
}

// fetchReport sends one report request and sorts the answer into a
// report (READY, READY_LOW_CONFIDENCE, NOT_READY) or an *ItemError.
//
// The request costs one report credit (Spend Cost 1: reserved against the
// budget, never resent once it may have reached HypeAuditor) unless free
// is set (a later check of a wait that already had an answer) or the
// client knows the account's report is unlocked (see Client.Usage); a
// free request is a plain GET, retried like any other. The book reads
// each answer as the caller gets it (see view): its state, and
// restTokens and validUntil in result or beside it.
func fetchReport[T any, PT interface {
	*T
	reportResult
}](ctx context.Context, c *Client, rc reportCall, free bool) (PT, error) {
	var env struct {
		Result *T `json:"result"`
		// RestTokens and ValidUntil beside result, where one client's
		// fixture has them (see ReportStatus.RestTokens).
		RestTokens *Int            `json:"restTokens,omitempty"`
		ValidUntil *Time           `json:"validUntil,omitempty"`
		Raw        json.RawMessage `json:"-"`
	}
	// view completes the decoded result (nil when the answer had none):
	// its state derived from the body (setMeta: a PDF's from pdfUrl),
	// restTokens and validUntil taken from beside result when result has
	// none, and NOT_READY for a 202 without a state. Spend.Charged reads
	// it inside Do, the caller after.
	view := func(status int, meta *ResponseMeta) reportResult {
		if env.Result == nil {
			return nil
		}
		r := PT(env.Result)
		r.setMeta(env.Raw, meta)
		st := r.status()
		if st.RestTokens == nil {
			st.RestTokens = env.RestTokens
		}
		if st.ValidUntil == nil {
			st.ValidUntil = env.ValidUntil
		}
		if st.State == "" && status == http.StatusAccepted {
			st.State = StateNotReady
		}
		return r
	}
	key := rc.accountKey()
	req := transport.Request{Op: rc.op, Method: http.MethodGet, Path: rc.path, Query: rc.query}
	paid := !free && !c.book.free(key, time.Now())
	var open bool
	var sent, received time.Time
	if paid {
		req.Spend = transport.Spend{Cost: 1, Charged: func(a transport.Answer) transport.Charge {
			sent, received = a.Sent, a.Received
			ch, o := c.book.charged(key, a.Sent, a.Received, seenIn(rc, view(a.Status, nil), a.Status, a.Received))
			open = o
			return ch
		}}
	}
	start := time.Now()
	meta, err := c.do(ctx, req, &env)
	end := time.Now()
	if err != nil {
		err = c.asUnavailable(rc, err)
		c.book.after(key, rc.op, paid, start, end, seenInError(err), false)
		return nil, err
	}
	if !open {
		sent, received = start, end
	}
	c.book.after(key, rc.op, paid, sent, received, seenIn(rc, view(meta.StatusCode, meta), meta.StatusCode, received), open)
	if err := c.checkShapes(rc.op, meta, env.Result != nil); err != nil {
		return nil, err
	}
	r := PT(env.Result)
	if st := r.status(); st.State != "" && !st.State.Ready() && st.State != StateNotReady {
		return nil, c.unavailable(rc, st.State, "", nil)
	}
	return r, nil
}

// seenInError classifies a report call's error for the book: a failed
// generation (an *ItemError other than REPORT_CALCULATING), a lost answer
// or a success status whose body the SDK could not use (ErrOutcomeUnknown
// on a paid request), or nothing learnt.
func seenInError(err error) seen {
	var ie *ItemError
	if errors.As(err, &ie) {
		if ReportState(ie.State) == StateReportCalculating {
			return seen{kind: seenAnswer}
		}
		return seen{kind: seenFailed}
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		return seen{kind: seenLost}
	}
	return seen{}
}

// Instagram returns the Instagram report of a username (auditor.report) or
// user id (auditor.reportByUserId), or its NOT_READY state while it is
// generated.
func (s *ReportsService) Instagram(ctx context.Context, p InstagramParams) (*InstagramReport, error) {
	rc, err := p.call("Reports.Instagram")
	if err != nil {
		return nil, err
	}
	return fetchReport[InstagramReport](ctx, s.c, rc, false)
}

// TikTok returns the TikTok report of a channel (auditor.tiktok) or user
// id (auditor.tiktokByUserId), or its NOT_READY state.
func (s *ReportsService) TikTok(ctx context.Context, p TikTokParams) (*TikTokReport, error) {
	rc, err := p.call("Reports.TikTok")
	if err != nil {
		return nil, err
	}
	return fetchReport[TikTokReport](ctx, s.c, rc, false)
}

// YouTube returns the YouTube report of a channel id or handle
// (auditor.youtube), or its NOT_READY state.
func (s *ReportsService) YouTube(ctx context.Context, p YouTubeParams) (*YouTubeReport, error) {
	rc, err := p.call("Reports.YouTube")
	if err != nil {
		return nil, err
	}
	return fetchReport[YouTubeReport](ctx, s.c, rc, false)
}

// Twitch returns the Twitch report of a channel (auditor.twitch), or its
// NOT_READY state. "nasa" is free, for testing.
func (s *ReportsService) Twitch(ctx context.Context, p ChannelParams) (*NetworkReport, error) {
	return s.network(ctx, "Reports.Twitch", Twitch, "auditor.twitch", p)
}

// Twitter returns the Twitter (X) report of a handle (auditor.twitter),
// or its NOT_READY state. The method and its channel parameter come from
// clients; the official page could not be read [CLIENT].
func (s *ReportsService) Twitter(ctx context.Context, p ChannelParams) (*NetworkReport, error) {
	return s.network(ctx, "Reports.Twitter", Twitter, "auditor.twitter", p)
}

// Snapchat returns the Snapchat report of a channel (auditor.snapchat),
// or its NOT_READY state. "nasa" is free, for testing.
func (s *ReportsService) Snapchat(ctx context.Context, p ChannelParams) (*NetworkReport, error) {
	return s.network(ctx, "Reports.Snapchat", Snapchat, "auditor.snapchat", p)
}

func (s *ReportsService) network(ctx context.Context, op string, net Platform, path string, p ChannelParams) (*NetworkReport, error) {
	rc, err := p.call(op, net, path)
	if err != nil {
		return nil, err
	}
	r, err := fetchReport[NetworkReport](ctx, s.c, rc, false)
	if r != nil {
		r.Platform = net
	}
	return r, err
}

// TwitchHistory returns a Twitch channel's metrics history
// (auditor.twitchHistory). It unlocks the Twitch report, so it costs a
// credit when the report is not unlocked yet; while the report is
// generated it returns the NOT_READY state.
func (s *ReportsService) TwitchHistory(ctx context.Context, p ChannelParams) (*TwitchHistory, error) {
	rc, err := p.call("Reports.TwitchHistory", Twitch, "auditor.twitchHistory")
	if err != nil {
		return nil, err
	}
	return fetchReport[TwitchHistory](ctx, s.c, rc, false)
}

// setType adds the type parameter when t is set: lowercase letters,
// digits and underscores.
func setType(op string, q url.Values, t string) error {
	if t == "" {
		return nil
	}
	if msg := featureName(t); msg != "" {
		return invalidParams(op, "type", "type %q must be lowercase letters, digits and underscores", t)
	}
	q.Set("type", t)
	return nil
}

// setFeatures adds a comma-separated features list.
func setFeatures(op string, q url.Values, feats []string) error {
	if len(feats) == 0 {
		return nil
	}
	for _, f := range feats {
		if msg := featureName(f); msg != "" {
			return invalidParams(op, "features", "%s", msg)
		}
	}
	q.Set("features", strings.Join(feats, ","))
	return nil
}
