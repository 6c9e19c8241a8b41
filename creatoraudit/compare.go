package creatoraudit

import (
	"encoding/json"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// MetricChanges are a period-over-period comparison's changes: how much
// each metric moved from the window before to the window asked for, in
// percent. A change is nil when the answer has none (nothing to compare
// with: the previous value was zero or null).
//
// [inferred] Only the overview's comparison is documented: each figure's
// name with "_pct" (OverviewChange). MetricChanges reads an analytics
// answer's "changes" the same way, from any name of a metric (see
// Metrics) with "_pct": views from views_pct, view_count_pct or
// total_views_pct, the engagement rate from engagement_rate_pct, and so
// on. Each value may be a number, a numeric string or null; one that is
// neither is left nil and reported in the response's DecodeIssues.
// MetricChanges re-encodes each value under the name and in the form it
// was read from, like Metrics.
type MetricChanges struct {
	Views          *float64
	Plays          *float64
	Likes          *float64
	Comments       *float64
	Shares         *float64
	SavedCount     *float64
	Followers      *float64
	EngagementRate *float64

	// src remembers, per metric (in Metrics' order), the member it was
	// read from and a value not sent as a plain number.
	src [numMetrics]metricSource
}

// changeSuffix ends the name of a change: the metric's name, then "_pct".
const changeSuffix = "_pct"

// changes returns the fields of c in Metrics' order (metricNames, then
// the engagement rate).
func (c *MetricChanges) changes() [numMetrics]**float64 {
	return [numMetrics]**float64{&c.Views, &c.Plays, &c.Likes, &c.Comments, &c.Shares, &c.SavedCount, &c.Followers, &c.EngagementRate}
}

// UnmarshalJSON implements json.Unmarshaler (strict, like Metrics; the
// client's tolerant decoding reports a value that does not fit and leaves
// it nil).
func (c *MetricChanges) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, c) }

func init() { jsonx.Register(decodeMetricChanges) }

// decodeMetricChanges is the tolerant decoding of MetricChanges
// (registered with jsonx.Register).
func decodeMetricChanges(d *jsonx.Decoder, b []byte, c *MetricChanges) {
	*c = MetricChanges{}
	var fields map[string]json.RawMessage
	if !decode(d, b, &fields) {
		return
	}
	for i, dst := range c.changes() {
		for _, n := range metricNamesAt(i) {
			name := n + changeSuffix
			raw, ok := fields[name]
			if !ok || isNull(raw) {
				continue
			}
			var v jsonx.Float
			if json.Unmarshal(raw, &v) != nil {
				d.Field(name, raw, &v) // reports it
				continue
			}
			f := float64(v)
			*dst = &f
			c.src[i] = source(name, raw)
			break
		}
	}
}

// MarshalJSON implements json.Marshaler.
func (c MetricChanges) MarshalJSON() ([]byte, error) {
	out := map[string]any{}
	for i, v := range c.changes() {
		if *v != nil {
			c.src[i].put(out, metricNamesAt(i)[0]+changeSuffix, **v)
		}
	}
	return json.Marshal(out)
}
