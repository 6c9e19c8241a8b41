package creatoraudit

import (
	"context"
	"encoding/json"
	"net/url"

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

// Analytics is one scope's metrics over a window.
//
// [inferred] Only the creator analytics path is documented, and no body
// shape is: the SDK reads type, period, start_date, end_date, the metrics
// (see Metrics for the names accepted) and a daily series from "series"
// or "points". Raw keeps the body as received.
type Analytics struct {
	Type      string `json:"type,omitempty"`
	Period    Period `json:"period,omitempty"`
	StartDate string `json:"start_date,omitempty"`
	EndDate   string `json:"end_date,omitempty"`
	// Metrics are the window's totals, read from the object itself.
	Metrics Metrics `json:"-"`
	// Series is the daily breakdown, when the response carries one.
	Series []Point `json:"series,omitempty"`

	Result
}

type analyticsFields Analytics

// UnmarshalJSON implements json.Unmarshaler.
func (a *Analytics) UnmarshalJSON(b []byte) error {
	var f analyticsFields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if err := f.Metrics.UnmarshalJSON(b); err != nil {
		return err
	}
	if f.Series == nil {
		var alt struct {
			Points []Point `json:"points"`
		}
		if err := json.Unmarshal(b, &alt); err != nil {
			return err
		}
		f.Series = alt.Points
	}
	*a = Analytics(f)
	return nil
}

// MarshalJSON implements json.Marshaler.
func (a Analytics) MarshalJSON() ([]byte, error) { return withMetrics(analyticsFields(a), a.Metrics) }

// Timeseries is one scope's daily series over a window.
//
// [inferred] The time-series paths and shape are not documented: the SDK
// reads period, start_date, end_date and the points from "points" or
// "series". Raw keeps the body as received.
type Timeseries struct {
	Type      string  `json:"type,omitempty"`
	Period    Period  `json:"period,omitempty"`
	StartDate string  `json:"start_date,omitempty"`
	EndDate   string  `json:"end_date,omitempty"`
	Points    []Point `json:"points"`

	Result
}

type timeseriesFields Timeseries

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timeseries) UnmarshalJSON(b []byte) error {
	var f timeseriesFields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if f.Points == nil {
		var alt struct {
			Series []Point `json:"series"`
		}
		if err := json.Unmarshal(b, &alt); err != nil {
			return err
		}
		f.Points = alt.Series
	}
	*t = Timeseries(f)
	return nil
}

// Point is one day of a series.
type Point struct {
	// Date is the day, YYYY-MM-DD.
	Date string
	Metrics
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *Point) UnmarshalJSON(b []byte) error {
	var d struct {
		Date string `json:"date"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return err
	}
	p.Date = d.Date
	return p.Metrics.UnmarshalJSON(b)
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
	return doData[Analytics](ctx, c, transport.Request{Op: op, Method: "GET", Path: expand(tmpl, id), Query: q}, callConfig{})
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
	return doData[Timeseries](ctx, c, transport.Request{Op: op, Method: "GET", Path: expand(tmpl, id), Query: q}, callConfig{})
}
