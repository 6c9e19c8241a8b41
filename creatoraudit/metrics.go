package creatoraudit

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"reflect"
	"sort"
	"strconv"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// MaxBatchIDs is the most ids one batch-metrics request carries; the SDK
// splits longer lists into several requests.
const MaxBatchIDs = 200

// Metrics are public engagement metrics over a window.
//
// [inferred] CreatorAudit documents which metrics exist but not the field
// names of analytics, time-series and batch-metrics bodies. Metrics decodes
// leniently: each value may be a number, a numeric string or null, and
// each metric is read from the first of several names present (views from
// views, view_count or total_views; followers from followers or
// follower_count; and so on). A value that is neither a number nor a
// numeric string is left nil and reported in the response's DecodeIssues
// (the next name is tried). Metrics re-encodes each value under the name
// and in the form it was read from (a numeric string stays a string); a
// Metrics built in code is written with the first name of each list. The
// body as received stays in the top-level result's Raw.
type Metrics struct {
	Views    *int64
	Plays    *int64
	Likes    *int64
	Comments *int64
	Shares   *int64
	// SavedCount is Instagram only; nil for TikTok.
	SavedCount *int64
	Followers  *int64
	// EngagementRate is (likes + comments + shares) / views, in percent.
	EngagementRate *float64

	// src remembers, per metric (metricNames, then engagement rate), the
	// member it was read from and, when that was not a plain JSON number,
	// the value as received.
	src [numMetrics]metricSource
}

type metricSource struct {
	name string
	text string // the JSON text of a value not sent as a plain number
}

// metricNames lists, for each metric, the names it is read from; the first
// is the one it is written as.
var metricNames = []struct {
	names []string
	get   func(m *Metrics) **int64
}{
	{[]string{"views", "view_count", "total_views"}, func(m *Metrics) **int64 { return &m.Views }},
	{[]string{"plays", "play_count", "total_plays"}, func(m *Metrics) **int64 { return &m.Plays }},
	{[]string{"likes", "like_count"}, func(m *Metrics) **int64 { return &m.Likes }},
	{[]string{"comments", "comment_count"}, func(m *Metrics) **int64 { return &m.Comments }},
	{[]string{"shares", "share_count"}, func(m *Metrics) **int64 { return &m.Shares }},
	{[]string{"saved_count", "saves"}, func(m *Metrics) **int64 { return &m.SavedCount }},
	{[]string{"followers", "follower_count"}, func(m *Metrics) **int64 { return &m.Followers }},
}

var engagementNames = []string{"engagement_rate", "er"}

// numMetrics counts the integer metrics and the engagement rate.
const numMetrics = 8

// UnmarshalJSON implements json.Unmarshaler: strict, it fails on the first
// value that is not a number or a numeric string (the client's tolerant
// decoding reports such a value with its path and leaves it nil).
func (m *Metrics) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, m) }

func init() { jsonx.Register(decodeMetrics) }

// decodeMetrics is the tolerant decoding of Metrics (registered with
// jsonx.Register): a value that does not fit is reported with its path and
// left nil.
func decodeMetrics(d *jsonx.Decoder, b []byte, m *Metrics) {
	*m = Metrics{}
	var fields map[string]json.RawMessage
	if !decode(d, b, &fields) {
		return
	}
	m.fromFields(d, fields)
}

// fromFields reads the metrics out of an object's members.
func (m *Metrics) fromFields(d *jsonx.Decoder, fields map[string]json.RawMessage) {
	for i, mn := range metricNames {
		for _, n := range mn.names {
			raw, ok := fields[n]
			if !ok || isNull(raw) {
				continue
			}
			x, ok := plainInt(raw)
			if !ok {
				var v jsonx.Int
				if json.Unmarshal(raw, &v) != nil {
					d.Field(n, raw, &v) // reports it
					continue
				}
				x = int64(v)
			}
			*mn.get(m) = &x
			m.src[i] = source(n, raw)
			break
		}
	}
	for _, n := range engagementNames {
		raw, ok := fields[n]
		if !ok || isNull(raw) {
			continue
		}
		var v jsonx.Float
		if json.Unmarshal(raw, &v) != nil {
			d.Field(n, raw, &v) // reports it
			continue
		}
		f := float64(v)
		m.EngagementRate = &f
		m.src[len(metricNames)] = source(n, raw)
		break
	}
}

// plainInt reads an integer literal (the common case) without a trip
// through encoding/json; ok is false for anything else.
func plainInt(raw json.RawMessage) (int64, bool) {
	if len(raw) == 0 || len(raw) > 19 {
		return 0, false
	}
	for i, c := range raw {
		if (c < '0' || c > '9') && !(i == 0 && c == '-' && len(raw) > 1) {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	return n, err == nil
}

// source records where a metric came from; the value itself only when it
// was not a plain number, so re-encoding gives back its form.
func source(name string, raw json.RawMessage) metricSource {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		return metricSource{name: name, text: string(raw)}
	}
	return metricSource{name: name}
}

// MarshalJSON implements json.Marshaler.
func (m Metrics) MarshalJSON() ([]byte, error) { return json.Marshal(m.fields()) }

func (m Metrics) fields() map[string]any {
	out := map[string]any{}
	for i, mn := range metricNames {
		if v := *mn.get(&m); v != nil {
			m.src[i].put(out, mn.names[0], *v)
		}
	}
	if m.EngagementRate != nil {
		m.src[len(metricNames)].put(out, engagementNames[0], *m.EngagementRate)
	}
	return out
}

// put writes v into out under the name it was read from (def for a value
// built in code), in the form it was received while it still holds the
// same number.
func (src metricSource) put(out map[string]any, def string, v any) {
	name := def
	if src.name != "" {
		name = src.name
	}
	if src.text != "" && sameNumber(src.text, v) {
		out[name] = json.RawMessage(src.text)
		return
	}
	out[name] = v
}

// metricNamesAt lists the names the metric at index i (metricNames, then
// the engagement rate) is read from.
func metricNamesAt(i int) []string {
	if i < len(metricNames) {
		return metricNames[i].names
	}
	return engagementNames
}

// sameNumber reports whether text (a numeric string as received) still
// holds v: a caller may have changed the value since.
func sameNumber(text string, v any) bool {
	var n jsonx.Float
	if json.Unmarshal([]byte(text), &n) != nil {
		return false
	}
	switch x := v.(type) {
	case int64:
		return int64(n) == x || int64(math.Round(float64(n))) == x
	case float64:
		return float64(n) == x
	}
	return false
}

// decode decodes data into out (a pointer) through d: encoding/json's
// own pass first, at its speed; only when that fails (a value that does
// not fit, somewhere inside) the tolerant walk, which reports each value
// with its path. It reports whether out's own shape fitted.
func decode(d *jsonx.Decoder, data []byte, out any) bool {
	if json.Unmarshal(data, out) == nil {
		return true
	}
	reflect.ValueOf(out).Elem().SetZero()
	return d.Decode(data, out)
}

// isNull reports whether raw is JSON null, or no value at all (a null
// member decoded into a json.RawMessage by jsonx leaves it nil).
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// MetricsPage is one batch request's answer: {data, meta} as received.
//
// It has Raw and Response of its own request.
type MetricsPage struct {
	// IDs are the ids this request asked for.
	IDs []string `json:"-"`
	// Data and Meta are the body's parts as received. Their inner shape is
	// not documented.
	Data json.RawMessage `json:"data"`
	Meta json.RawMessage `json:"meta,omitempty"`
	// Raw is this request's body as received; Response its metadata.
	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

// BatchMetrics is the answer of a batch-metrics call, merged over the
// requests it took.
//
// It has Raw (every request's body) and Response (the last response's
// metadata, with every request's DecodeIssues).
type BatchMetrics struct {
	// ByID holds each id's window metrics. [inferred] The inner shape of
	// data is undocumented; ids are read from an object keyed by id, or
	// from an array of objects with an id, account_id, video_id or post_id
	// field. An id missing here may still be in Pages.
	ByID map[string]Metrics
	// Pages holds each request's body, in order (one per 200 ids).
	Pages []MetricsPage
	// Raw is the body of the one request, or a JSON array of the body of
	// each request in order.
	Raw json.RawMessage `json:"-"`
	// Response is the last response's metadata, with the DecodeIssues of
	// every request.
	Response *ResponseMeta `json:"-"`
}

// batchBody is how a batch answer is decoded: the metrics per id are read
// in the same tolerant pass as the rest (a value that does not fit is a
// DecodeIssue with its path, such as data.<id>.views).
type batchBody struct {
	Data     batchData       `json:"data"`
	Meta     json.RawMessage `json:"meta,omitempty"`
	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

// metricsBody is the request body of the batch-metrics endpoints.
type metricsBody struct {
	AccountIDs       []string `json:"account_ids,omitempty"`
	VideoIDs         []string `json:"video_ids,omitempty"`
	InstagramPostIDs []int64  `json:"instagram_post_ids,omitempty"`
	TiktokVideoIDs   []int64  `json:"tiktok_video_ids,omitempty"`
	Period           Period   `json:"period,omitempty"`
	StartDate        string   `json:"start_date,omitempty"`
	EndDate          string   `json:"end_date,omitempty"`
}

// batchMetrics posts each body in turn and merges the answers. Each
// request is retried by the transport; when one still fails, the requests
// that succeeded are returned with its error.
func (c *Client) batchMetrics(ctx context.Context, op, path string, bodies []metricsBody, ids [][]string) (*BatchMetrics, error) {
	out := &BatchMetrics{ByID: map[string]Metrics{}}
	for i, body := range bodies {
		var b batchBody
		// A read that spends nothing: safe to resend.
		_, err := c.do(ctx, transport.Request{Op: op, Method: "POST", Path: path, Route: path, Body: body, Retry: transport.RetryIdempotent}, callConfig{}, &b)
		if err != nil {
			out.Raw, out.Response = merged(out.Pages)
			return out, err
		}
		for id, m := range b.Data.byID {
			out.ByID[id] = m
		}
		out.Pages = append(out.Pages, MetricsPage{IDs: ids[i], Data: b.Data.raw, Meta: b.Meta, Raw: b.Raw, Response: b.Response})
	}
	out.Raw, out.Response = merged(out.Pages)
	return out, nil
}

// MetricsParams are the inputs of Accounts.Metrics and Videos.Metrics.
type MetricsParams struct {
	// IDs are the account or video ids (UUIDs). Any number: the SDK drops
	// duplicates and sends 200 per request. Required.
	IDs []string
	// Period is the window (default 30d). PeriodCustom needs StartDate and
	// EndDate (YYYY-MM-DD, inclusive, UTC).
	Period    Period
	StartDate string
	EndDate   string
}

func (p MetricsParams) bodies(op, idField string) ([]metricsBody, [][]string, error) {
	ids, err := uniqueIDs(op, idField, p.IDs)
	if err != nil {
		return nil, nil, err
	}
	period, start, end, err := windowQuery(op, p.Period, p.StartDate, p.EndDate, true)
	if err != nil {
		return nil, nil, err
	}
	groups := chunks(ids, MaxBatchIDs)
	bodies := make([]metricsBody, len(groups))
	for i, g := range groups {
		b := metricsBody{Period: period, StartDate: start, EndDate: end}
		if idField == "account_ids" {
			b.AccountIDs = g
		} else {
			b.VideoIDs = g
		}
		bodies[i] = b
	}
	return bodies, groups, nil
}

// AccountVideoMetricsParams are the inputs of AccountVideos.Metrics.
type AccountVideoMetricsParams struct {
	// InstagramPostIDs and TiktokVideoIDs are CreatorAudit's internal
	// integer ids of account videos (Video.InternalID). At least one id in
	// all; any number, 200 per request.
	InstagramPostIDs []int64
	TiktokVideoIDs   []int64
	// Period is the window (default 30d); see MetricsParams.
	Period    Period
	StartDate string
	EndDate   string
}

func uniqueInts(op, field string, ids []int64) ([]int64, error) {
	seen := map[int64]bool{}
	var out []int64
	for i, id := range ids {
		if id <= 0 {
			return nil, invalidParams(op, field, "%s[%d] must be a positive internal id, got %d", field, i, id)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

func (p AccountVideoMetricsParams) bodies(op string) ([]metricsBody, [][]string, error) {
	ig, err := uniqueInts(op, "instagram_post_ids", p.InstagramPostIDs)
	if err != nil {
		return nil, nil, err
	}
	tt, err := uniqueInts(op, "tiktok_video_ids", p.TiktokVideoIDs)
	if err != nil {
		return nil, nil, err
	}
	if len(ig)+len(tt) == 0 {
		return nil, nil, invalidParams(op, "instagram_post_ids", "give at least one instagram_post_ids or tiktok_video_ids entry")
	}
	period, start, end, err := windowQuery(op, p.Period, p.StartDate, p.EndDate, true)
	if err != nil {
		return nil, nil, err
	}
	var bodies []metricsBody
	var ids [][]string
	for len(ig)+len(tt) > 0 {
		b := metricsBody{Period: period, StartDate: start, EndDate: end}
		n := min(len(ig), MaxBatchIDs)
		b.InstagramPostIDs, ig = ig[:n:n], ig[n:]
		m := min(len(tt), MaxBatchIDs-n)
		b.TiktokVideoIDs, tt = tt[:m:m], tt[m:]
		var group []string
		for _, id := range b.InstagramPostIDs {
			group = append(group, strconv.FormatInt(id, 10))
		}
		for _, id := range b.TiktokVideoIDs {
			group = append(group, strconv.FormatInt(id, 10))
		}
		bodies, ids = append(bodies, b), append(ids, group)
	}
	return bodies, ids, nil
}

// DeltasParams are the inputs of Videos.Deltas.
type DeltasParams struct {
	// VideoIDs are the video ids; any number, 200 per request. Required.
	VideoIDs []string
	// Windows are look-back windows in days: 1 to 10 distinct values, each
	// 1 to 365 (e.g. 1, 7, 14, 30). Duplicates are dropped.
	Windows []int
}

// MaxDeltaWindows is the most windows one deltas request takes.
const MaxDeltaWindows = 10

type deltasBody struct {
	VideoIDs []string `json:"video_ids"`
	Windows  []int    `json:"windows"`
}

// VideoDeltas is the answer of Videos.Deltas, merged over its requests.
//
// It has Raw (every request's body) and Response (the last response's
// metadata, with every request's DecodeIssues).
type VideoDeltas struct {
	// ByVideo holds each video's engagement change per window (in days).
	// [inferred] The body's shape is undocumented; it is read as
	// {"data": {video_id: {window: metrics}}}, where a window key may be
	// "7" or "7d". Anything else stays in Pages.
	ByVideo map[string]map[int]Metrics
	// Pages holds each request's body, in order.
	Pages []MetricsPage
	// Raw is the body of the one request, or a JSON array of the body of
	// each request in order.
	Raw json.RawMessage `json:"-"`
	// Response is the last response's metadata, with the DecodeIssues of
	// every request.
	Response *ResponseMeta `json:"-"`
}

// deltasAnswer is how a deltas answer is decoded.
type deltasAnswer struct {
	Data     deltasData      `json:"data"`
	Meta     json.RawMessage `json:"meta,omitempty"`
	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

func (p DeltasParams) bodies(op string) ([]deltasBody, [][]string, error) {
	ids, err := uniqueIDs(op, "video_ids", p.VideoIDs)
	if err != nil {
		return nil, nil, err
	}
	if len(p.Windows) == 0 {
		return nil, nil, invalidParams(op, "windows", "give 1 to %d windows", MaxDeltaWindows)
	}
	seen := map[int]bool{}
	var windows []int
	for _, w := range p.Windows {
		if w < 1 || w > 365 {
			return nil, nil, invalidParams(op, "windows", "each window must be 1 to 365 days, got %d", w)
		}
		if !seen[w] {
			seen[w] = true
			windows = append(windows, w)
		}
	}
	if len(windows) > MaxDeltaWindows {
		return nil, nil, invalidParams(op, "windows", "at most %d distinct windows, got %d", MaxDeltaWindows, len(windows))
	}
	sort.Ints(windows)
	groups := chunks(ids, MaxBatchIDs)
	bodies := make([]deltasBody, len(groups))
	for i, g := range groups {
		bodies[i] = deltasBody{VideoIDs: g, Windows: windows}
	}
	return bodies, groups, nil
}
