package hypeauditor

import (
	"context"
	"encoding/json"
	"net/url"
)

// InstagramHistoryParams select the Instagram account whose metrics
// history to read: its username (one leading "@" is dropped).
type InstagramHistoryParams struct {
	Username string
}

func (p InstagramHistoryParams) call(op string) (reportCall, error) {
	name, err := instagramHandle(op, "username", p.Username)
	if err != nil {
		return reportCall{}, err
	}
	return reportCall{op: op, network: Instagram, input: p.Username, account: name, path: "auditor.instagramHistory", query: url.Values{"username": {name}}}, nil
}

// MetricsHistory is the answer of auditor.instagramHistory,
// auditor.tiktokHistory and auditor.twitterHistory: the state and
// result.metrics_history, each metric's history keyed by its name.
//
// The three methods and their parameters (username on Instagram, channel
// on TikTok and Twitter) come from a real client [CLIENT]; their answer
// is not published, so the shape is the documented one of
// auditor.twitchHistory (metrics_history.{metric}.history[] of {time_iso,
// value}) [INFERRED], and the metric names are whatever HypeAuditor
// sends. Every point also decodes time, datetime and the metric's own
// value, as in the YouTube report's metrics_history. History starts when
// HypeAuditor added the account to its database.
//
// Cost: a history call unlocks the report, so it costs like one (a credit
// when the report is not unlocked yet, nothing after) [DOC for Twitch;
// the vendor notes, §1.7, say so of every Metrics History endpoint]. The
// SDK counts it exactly as a report request of the same account (see
// ReportsService, Client.Usage): one report credit reserved and the
// request never sent twice when this client has not seen the report
// unlocked, free otherwise and for the later checks of the AndWait
// helpers; its validUntil settles what it spent.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type MetricsHistory struct {
	// Platform is the platform asked for (set by the SDK, not sent by the
	// API).
	Platform Platform `json:"-"`
	ReportStatus
	MetricsHistory map[string]MetricHistory `json:"metrics_history,omitzero"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Metric returns the history of one metric, or nil.
func (h *MetricsHistory) Metric(name string) *MetricHistory {
	if h == nil {
		return nil
	}
	if m, ok := h.MetricsHistory[name]; ok {
		return &m
	}
	return nil
}

func (h *MetricsHistory) setMeta(raw json.RawMessage, m *ResponseMeta) { h.Raw, h.Response = raw, m }

// InstagramHistory returns an Instagram account's metrics history
// (auditor.instagramHistory), or its NOT_READY state while the report
// behind it is generated. See MetricsHistory for the sources and the
// cost.
func (s *ReportsService) InstagramHistory(ctx context.Context, p InstagramHistoryParams) (*MetricsHistory, error) {
	rc, err := p.call("Reports.InstagramHistory")
	if err != nil {
		return nil, err
	}
	return s.history(ctx, rc, false)
}

// TikTokHistory returns a TikTok channel's metrics history
// (auditor.tiktokHistory), or its NOT_READY state.
func (s *ReportsService) TikTokHistory(ctx context.Context, p ChannelParams) (*MetricsHistory, error) {
	rc, err := p.call("Reports.TikTokHistory", TikTok, "auditor.tiktokHistory")
	if err != nil {
		return nil, err
	}
	return s.history(ctx, rc, false)
}

// TwitterHistory returns a Twitter (X) account's metrics history
// (auditor.twitterHistory), or its NOT_READY state.
func (s *ReportsService) TwitterHistory(ctx context.Context, p ChannelParams) (*MetricsHistory, error) {
	rc, err := p.call("Reports.TwitterHistory", Twitter, "auditor.twitterHistory")
	if err != nil {
		return nil, err
	}
	return s.history(ctx, rc, false)
}

func (s *ReportsService) history(ctx context.Context, rc reportCall, free bool) (*MetricsHistory, error) {
	h, err := fetchReport[MetricsHistory](ctx, s.c, rc, free)
	if h != nil {
		h.Platform = rc.network
	}
	return h, err
}

// InstagramHistoryAndWait requests an Instagram metrics history and waits
// until the report behind it is ready, as InstagramAndWait does.
func (s *ReportsService) InstagramHistoryAndWait(ctx context.Context, p InstagramHistoryParams, opts ...WaitOption) (*MetricsHistory, error) {
	const op = "Reports.InstagramHistoryAndWait"
	return s.historyAndWait(ctx, op, opts, func() (reportCall, error) { return p.call(op) })
}

// TikTokHistoryAndWait requests a TikTok metrics history and waits until
// the report behind it is ready.
func (s *ReportsService) TikTokHistoryAndWait(ctx context.Context, p ChannelParams, opts ...WaitOption) (*MetricsHistory, error) {
	const op = "Reports.TikTokHistoryAndWait"
	return s.historyAndWait(ctx, op, opts, func() (reportCall, error) { return p.call(op, TikTok, "auditor.tiktokHistory") })
}

// TwitterHistoryAndWait requests a Twitter metrics history and waits
// until the report behind it is ready.
func (s *ReportsService) TwitterHistoryAndWait(ctx context.Context, p ChannelParams, opts ...WaitOption) (*MetricsHistory, error) {
	const op = "Reports.TwitterHistoryAndWait"
	return s.historyAndWait(ctx, op, opts, func() (reportCall, error) { return p.call(op, Twitter, "auditor.twitterHistory") })
}

func (s *ReportsService) historyAndWait(ctx context.Context, op string, opts []WaitOption, call func() (reportCall, error)) (*MetricsHistory, error) {
	rc, cfg, err := s.c.prepare(op, opts, call)
	if err != nil {
		return nil, err
	}
	return waitFor(ctx, s.c, op, &rc, cfg, func(ctx context.Context, free bool) (*MetricsHistory, error) { return s.history(ctx, rc, free) })
}
