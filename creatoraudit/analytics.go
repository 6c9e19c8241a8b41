package creatoraudit

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// AnalyticsParams choose the window of an analytics or time-series call.
//
// Period is 7d, 30d, 90d or custom; custom needs StartDate and EndDate
// (YYYY-MM-DD, inclusive, start not after end). With no Period, StartDate
// and EndDate alone give the range (the "daily" endpoints, such as creator
// analytics, take only dates); with neither, the API's default applies.
type AnalyticsParams struct {
	Period    Period
	StartDate string
	EndDate   string
}

func (p AnalyticsParams) query(op string) (url.Values, error) {
	period, start, end, err := windowQuery(op, p.Period, p.StartDate, p.EndDate, true)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if period != "" {
		q.Set("period", string(period))
	}
	if start != "" {
		q.Set("start_date", start)
		q.Set("end_date", end)
	}
	return q, nil
}

// Analytics is one scope's metrics over a window, with its
// period-over-period comparison when the answer carries one.
//
// [inferred] Only the creator analytics path is documented, and no body
// shape is: the SDK reads type, period, start_date, end_date, the metrics
// (see Metrics for the names accepted), a daily series from "series" or
// "points" (and writes it back under the name it came in), and the
// comparison from "current", "previous" and "changes", the members of the
// documented overview (Overview). Raw keeps the body as received.
//
// It has Raw and Response (the response's metadata).
type Analytics struct {
	Type      string `json:"type,omitempty"`
	Period    Period `json:"period,omitempty"`
	StartDate string `json:"start_date,omitempty"`
	EndDate   string `json:"end_date,omitempty"`
	// Metrics are the window's totals, read from the object itself.
	Metrics Metrics `json:"-"`
	// Series is the daily breakdown, when the response carries one.
	Series []Point `json:"series,omitempty"`

	// Current, Previous and Changes are the period-over-period
	// comparison CreatorAudit offers at every scope, shaped like the
	// overview's (Overview.Current, Previous, Changes): the window's
	// metrics, those of the window of the same length just before it, and
	// the change from one to the other in percent. Each is nil when the
	// answer does not carry it.
	Current  *Metrics       `json:"current,omitempty"`
	Previous *Metrics       `json:"previous,omitempty"`
	Changes  *MetricChanges `json:"changes,omitempty"`

	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`

	// seriesName is the member Series was read from ("series" or
	// "points"); other is the other one when an answer carried both.
	seriesName string
	other      []Point
}

// analyticsFields are Analytics' own members; the metrics and the series
// under its other name are read apart.
type analyticsFields struct {
	Type      string         `json:"type,omitempty"`
	Period    Period         `json:"period,omitempty"`
	StartDate string         `json:"start_date,omitempty"`
	EndDate   string         `json:"end_date,omitempty"`
	Series    []Point        `json:"series,omitempty"`
	Points    []Point        `json:"points,omitempty"`
	Current   *Metrics       `json:"current,omitempty"`
	Previous  *Metrics       `json:"previous,omitempty"`
	Changes   *MetricChanges `json:"changes,omitempty"`
}

// UnmarshalJSON implements json.Unmarshaler (strict: it fails on the first
// value that does not fit; the client's tolerant decoding reports it in
// Response.DecodeIssues and leaves it zero).
func (a *Analytics) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, a) }

func init() {
	jsonx.Register(decodeAnalytics)
	jsonx.Register(decodeTimeseries)
	jsonx.Register(decodePoint)
}

// decodeAnalytics is the tolerant decoding of Analytics (registered with
// jsonx.Register): a value that does not fit is reported with its path
// and left zero.
func decodeAnalytics(d *jsonx.Decoder, b []byte, a *Analytics) {
	*a = Analytics{Raw: a.Raw, Response: a.Response}
	var f analyticsFields
	if !decode(d, b, &f) {
		return
	}
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(b, &fields) // an object: f decoded
	a.Metrics.fromFields(d, fields)
	a.Type, a.Period, a.StartDate, a.EndDate = f.Type, f.Period, f.StartDate, f.EndDate
	a.Current, a.Previous, a.Changes = f.Current, f.Previous, f.Changes
	a.Series, a.seriesName = f.Series, "series"
	_, hasSeries := fields["series"]
	_, hasPoints := fields["points"]
	switch {
	case hasSeries && hasPoints:
		a.other = f.Points
	case hasPoints:
		a.Series, a.seriesName = f.Points, "points"
	}
}

// MarshalJSON implements json.Marshaler.
func (a Analytics) MarshalJSON() ([]byte, error) {
	f := analyticsFields{Type: a.Type, Period: a.Period, StartDate: a.StartDate, EndDate: a.EndDate, Series: a.Series, Points: a.other,
		Current: a.Current, Previous: a.Previous, Changes: a.Changes}
	if a.seriesName == "points" {
		f.Series, f.Points = nil, a.Series
	}
	return withMetrics(f, a.Metrics)
}

// Timeseries is one scope's daily series over a window.
//
// [inferred] The time-series paths and shape are not documented: the SDK
// reads period, start_date, end_date and the points from "points" or
// "series" (and writes them back under the name they came in). Raw keeps
// the body as received.
//
// It has Raw and Response (the response's metadata).
type Timeseries struct {
	Type      string  `json:"type,omitempty"`
	Period    Period  `json:"period,omitempty"`
	StartDate string  `json:"start_date,omitempty"`
	EndDate   string  `json:"end_date,omitempty"`
	Points    []Point `json:"points"`

	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`

	// pointsName is the member Points was read from ("points" or
	// "series"); other is the other one when an answer carried both.
	pointsName string
	other      []Point
}

// UnmarshalJSON implements json.Unmarshaler (strict; see Analytics).
func (t *Timeseries) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, t) }

// decodeTimeseries is the tolerant decoding of Timeseries (registered
// with jsonx.Register).
func decodeTimeseries(d *jsonx.Decoder, b []byte, t *Timeseries) {
	*t = Timeseries{Raw: t.Raw, Response: t.Response}
	var f analyticsFields
	if !decode(d, b, &f) {
		return
	}
	t.Type, t.Period, t.StartDate, t.EndDate = f.Type, f.Period, f.StartDate, f.EndDate
	t.Points, t.pointsName, t.other = f.Points, "points", f.Series
	if f.Points == nil && f.Series != nil {
		t.Points, t.pointsName, t.other = f.Series, "series", nil
	}
}

// MarshalJSON implements json.Marshaler.
func (t Timeseries) MarshalJSON() ([]byte, error) {
	f := struct {
		analyticsFields
		Points *[]Point `json:"points,omitempty"`
	}{analyticsFields: analyticsFields{Type: t.Type, Period: t.Period, StartDate: t.StartDate, EndDate: t.EndDate, Series: t.other}}
	if t.pointsName == "series" {
		f.Series = t.Points
	} else {
		f.Points = &t.Points
	}
	return json.Marshal(f)
}

// Point is one day of a series.
type Point struct {
	// Date is the day, YYYY-MM-DD.
	Date string
	Metrics
}

// UnmarshalJSON implements json.Unmarshaler (strict; see Analytics).
func (p *Point) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, p) }

// decodePoint is the tolerant decoding of Point (registered with
// jsonx.Register).
func decodePoint(d *jsonx.Decoder, b []byte, p *Point) {
	*p = Point{}
	var fields map[string]json.RawMessage
	if !decode(d, b, &fields) {
		return
	}
	if raw, ok := fields["date"]; ok && !isNull(raw) {
		d.Field("date", raw, &p.Date)
	}
	p.Metrics.fromFields(d, fields)
}

// MarshalJSON implements json.Marshaler.
func (p Point) MarshalJSON() ([]byte, error) {
	m := p.Metrics.fields()
	if p.Date != "" {
		m["date"] = p.Date
	}
	return json.Marshal(m)
}

// withMetrics encodes v and adds the metric fields beside its own.
func withMetrics(v any, m Metrics) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, err
	}
	for k, val := range m.fields() {
		enc, _ := json.Marshal(val)
		obj[k] = enc
	}
	return json.Marshal(obj)
}

func (c *Client) analytics(ctx context.Context, op, tmpl, field, id string, checkID idChecker, p AnalyticsParams) (*Analytics, error) {
	id, err := checkID(op, field, id)
	if err != nil {
		return nil, err
	}
	q, err := p.query(op)
	if err != nil {
		return nil, err
	}
	return doData[Analytics](ctx, c, transport.Request{Op: op, Method: "GET", Path: expand(tmpl, id), Route: tmpl, Query: q}, callConfig{})
}

func (c *Client) timeseries(ctx context.Context, op, tmpl, field, id string, checkID idChecker, p AnalyticsParams) (*Timeseries, error) {
	if field != "" {
		var err error
		if id, err = checkID(op, field, id); err != nil {
			return nil, err
		}
	}
	q, err := p.query(op)
	if err != nil {
		return nil, err
	}
	return doData[Timeseries](ctx, c, transport.Request{Op: op, Method: "GET", Path: expand(tmpl, id), Route: tmpl, Query: q}, callConfig{})
}
