package hypeauditor

import (
	"context"
	"encoding/json"
	"net/url"
	"time"
)

// PDFParams select the report to export as a PDF: its Platform and
// Account (an Instagram username, sent as username; on the other
// platforms the channel, sent as channel: a TikTok, Twitter, Twitch or
// Snapchat username, or a YouTube channel id or handle; one leading "@"
// is dropped).
type PDFParams struct {
	Platform Platform
	Account  string
}

// pdfPaths are the export methods per network [CLIENT].
var pdfPaths = map[Platform]string{
	Instagram: "auditor.instagramPdf", TikTok: "auditor.tiktokPdf", YouTube: "auditor.youtubePdf",
	Twitter: "auditor.twitterPdf", Twitch: "auditor.twitchPdf", Snapchat: "auditor.snapchatPdf",
}

func (p PDFParams) call(op string) (reportCall, error) {
	if err := checkPlatform(op, "platform", p.Platform); err != nil {
		return reportCall{}, err
	}
	rc := reportCall{op: op, network: p.Platform, input: p.Account, path: pdfPaths[p.Platform]}
	var err error
	switch p.Platform {
	case Instagram:
		rc.account, err = instagramHandle(op, "username", p.Account)
		rc.query = url.Values{"username": {rc.account}}
		return rc, err
	case YouTube:
		rc.account, err = youTubeChannel(op, "channel", p.Account)
	default:
		rc.account, err = handle(op, "channel", p.Account)
	}
	rc.query = url.Values{"channel": {rc.account}}
	return rc, err
}

// ReportPDF is the answer of a PDF export (auditor.instagramPdf,
// tiktokPdf, youtubePdf, twitterPdf, twitchPdf, snapchatPdf): the PDF's
// URL once it is made, otherwise the wait HypeAuditor asks for. The
// methods, their parameters and this shape come from real clients, one
// of which polls until pdfUrl is set [CLIENT]; no official page could be
// read. Like the report images, the URL is a signed CDN link: download
// the file rather than keeping the link.
//
// Cost: 0 credits when the report is already unlocked, otherwise 1 (the
// export unlocks the report) [CLIENT; vendor notes §1.7 and §13]. The SDK
// counts an export like a report request of the same account (see
// ReportsService): the first request for an account this client has not
// seen unlocked may unlock it, so it reserves one report credit against
// WithBudget and is never sent twice; later requests (PDFAndWait's
// polls, and any request once the client saw the report unlocked, by a
// report, history or export answer) are free. An export answer carries
// no validUntil, so a credit it may have spent stays SpentUnknown until
// a report answer for the account (or a failed generation) settles it.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type ReportPDF struct {
	// Platform is the platform asked for (set by the SDK, not sent by the
	// API).
	Platform Platform `json:"-"`
	// PDFURL is result.pdfUrl: empty until the PDF is made. Control
	// field.
	PDFURL string `json:"pdfUrl,omitempty" creatorkit:"control"`
	// RetryTTL is result.retryTtl, seconds to wait before asking again,
	// sent while the PDF is made. Control field.
	RetryTTL *Float `json:"retryTtl,omitempty" creatorkit:"control"`
	// RestTokens is the number of report credits left.
	RestTokens *Int `json:"restTokens,omitempty"`
	// State is result.report_state when the answer carries one
	// [INFERRED: the clients read only pdfUrl and retryTtl]. Control
	// field.
	State ReportState `json:"report_state,omitempty" creatorkit:"control"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`

	st ReportStatus // the state as the AndWait helpers read it
}

// Ready reports whether the PDF is made (PDFURL is set).
func (p *ReportPDF) Ready() bool { return p != nil && p.PDFURL != "" }

// NotReady reports whether HypeAuditor is still making the PDF.
func (p *ReportPDF) NotReady() bool { return p != nil && p.st.State == StateNotReady }

// RetryAfter is how long HypeAuditor asks to wait before asking again:
// retryTtl, or DefaultRetryTTL when it sent none.
func (p *ReportPDF) RetryAfter() time.Duration { return p.st.RetryAfter() }

func (p *ReportPDF) status() *ReportStatus { return &p.st }

// setMeta keeps the body and metadata and derives the state the waits
// read: READY once pdfUrl is set; NOT_READY before (a 202, a retryTtl, or
// a READY report whose PDF is not made yet); an unavailable report_state
// (PRIVATE, ...) as it came.
func (p *ReportPDF) setMeta(raw json.RawMessage, m *ResponseMeta) {
	p.Raw, p.Response = raw, m
	st := p.State
	switch {
	case p.PDFURL != "" && (st == "" || st.Ready()):
		st = StateReady
	case st == "" || st.Ready():
		st = StateNotReady
	}
	p.st = ReportStatus{State: st, RetryTTL: p.RetryTTL, RestTokens: p.RestTokens}
}

// PDF asks for the PDF export of a report and returns its URL when the
// PDF is made; otherwise it starts (or checks on) the export and returns
// it not ready (NotReady, RetryAfter) without an error. An account
// HypeAuditor cannot report on is an *ItemError, as for the reports. It
// spends like a report request (see ReportPDF for the cost): a request
// that may unlock the report is sent once (a 5xx or a lost answer is
// ErrOutcomeUnknown), a free one is retried like any GET.
func (s *ReportsService) PDF(ctx context.Context, p PDFParams) (*ReportPDF, error) {
	rc, err := p.call("Reports.PDF")
	if err != nil {
		return nil, err
	}
	return s.pdf(ctx, rc, false)
}

func (s *ReportsService) pdf(ctx context.Context, rc reportCall, free bool) (*ReportPDF, error) {
	r, err := fetchReport[ReportPDF](ctx, s.c, rc, free)
	if r != nil {
		r.Platform = rc.network
	}
	return r, err
}

// PDFAndWait asks for the PDF export of a report and waits until it is
// made, asking again after each retryTtl, exactly as InstagramAndWait
// waits for a report (the same WaitOption set, the same outcomes): the
// made PDF; an *ItemError for an account without a report; the last
// not-ready answer and an *ItemError whose Err is the *TimeoutError when
// the context ends first or a retryTtl is longer than WithMaxRetryTTL.
func (s *ReportsService) PDFAndWait(ctx context.Context, p PDFParams, opts ...WaitOption) (*ReportPDF, error) {
	const op = "Reports.PDFAndWait"
	rc, cfg, err := s.c.prepare(op, opts, func() (reportCall, error) { return p.call(op) })
	if err != nil {
		return nil, err
	}
	return waitFor(ctx, s.c, op, &rc, cfg, func(ctx context.Context, free bool) (*ReportPDF, error) { return s.pdf(ctx, rc, free) })
}
