package hypeauditor

import "encoding/json"

// NetworkReport is the answer of auditor.twitch, auditor.twitter and
// auditor.snapchat: the state and result.report.{basic, metrics,
// features}. Twitch and Snapchat are documented in outline [DOC]; the
// Twitter method comes from clients [CLIENT]. Metrics decode into Metric
// (Twitch periods 30d, 90d, 180d, all; Snapchat 30d, 90d, 180d); features
// stay raw JSON (read one with Report.Feature).
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type NetworkReport struct {
	// Platform is the platform asked for (set by the SDK, not sent by the
	// API).
	Platform Platform `json:"-"`
	ReportStatus
	Report *ReportBody `json:"report,omitempty"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// TwitchHistory is the answer of auditor.twitchHistory: monthly history
// keyed monthly_views_avg, monthly_hours_streamed and stream_viewers_avg,
// each a list of {time_iso, value}. History starts when the account was
// added to HypeAuditor's database. The call unlocks the Twitch report.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type TwitchHistory struct {
	ReportStatus
	MetricsHistory map[string]MetricHistory `json:"metrics_history,omitzero"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// result plumbing: every report type exposes its ReportStatus and takes
// its raw body and metadata.

func (r *InstagramReport) setMeta(raw json.RawMessage, m *ResponseMeta) { r.Raw, r.Response = raw, m }
func (r *TikTokReport) setMeta(raw json.RawMessage, m *ResponseMeta)    { r.Raw, r.Response = raw, m }
func (r *YouTubeReport) setMeta(raw json.RawMessage, m *ResponseMeta)   { r.Raw, r.Response = raw, m }
func (r *NetworkReport) setMeta(raw json.RawMessage, m *ResponseMeta)   { r.Raw, r.Response = raw, m }
func (r *TwitchHistory) setMeta(raw json.RawMessage, m *ResponseMeta)   { r.Raw, r.Response = raw, m }

func (r *InstagramReport) accountID() ID {
	switch {
	case r.User != nil && r.User.ID != "":
		return r.User.ID
	case r.Report != nil:
		return r.Report.Basic.ID
	}
	return ""
}

func (r *TikTokReport) accountID() ID {
	if r.Report != nil {
		return r.Report.Basic.ID
	}
	return ""
}

func (r *YouTubeReport) accountID() ID {
	if r.Report != nil {
		return r.Report.Basic.ID
	}
	return ""
}

func (r *NetworkReport) accountID() ID {
	if r.Report != nil {
		return r.Report.Basic.ID
	}
	return ""
}

func (r *TwitchHistory) accountID() ID  { return "" }
func (h *MetricsHistory) accountID() ID { return "" }
func (p *ReportPDF) accountID() ID      { return "" }

// accountID: an analysis is no creator report, and no spend is booked for
// it (see MarketAnalysisService).
func (a *CompetitorAnalysis) accountID() ID { return "" }
