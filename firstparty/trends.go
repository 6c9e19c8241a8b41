package firstparty

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// GrowthTrends is the creator's growth (get_growth_trends): follower and
// engagement change over a month, a quarter and a year, and day-by-day
// trend series.
type GrowthTrends struct {
	Handle           string `json:"handle"`
	MonthlyFollowers Float  `json:"monthly_followers"`
	// QuarterlyFollowers is sent as "quaterly_followers" (sic).
	QuarterlyFollowers Float `json:"quaterly_followers"`
	YearlyFollowers    Float `json:"yearly_followers"`
	MonthlyEngagement  Float `json:"monthly_engagement"`
	// QuarterlyEngagement is sent as "quaterly_engagement" (sic).
	QuarterlyEngagement Float `json:"quaterly_engagement"`
	YearlyEngagement    Float `json:"yearly_engagement"`
	// CumulativeFollowersTrends is the follower count by day.
	CumulativeFollowersTrends Trend `json:"cumulative_followers_trends"`
	// EngagementTrends is the engagement rate by day.
	EngagementTrends Trend `json:"engagement_trends"`
	LastProcessedAt  Time  `json:"last_processed_at"`
	IGUserID         ID    `json:"ig_user_id"`
}

// Trend is a day-by-day series. Ylytic sends it as a list of one-key
// objects keyed by date, [{"2024-01-26": {"followers": 1257}}, ...]; a
// Trend turns that into Points, sorted by date, to range over:
//
//	for _, p := range g.CumulativeFollowersTrends.Points {
//		fmt.Println(p.Date.Format(time.DateOnly), p.Value)
//	}
//
// It also accepts a single object keyed by date and bare numbers as
// values, and re-encodes exactly what it decoded unless Points changed. A
// member whose key is not a date, or whose value is not a number, is no
// point: it is listed in the result's Response.DecodeIssues and kept in
// the bytes the trend re-encodes.
type Trend struct {
	// Points are the values, one per day and metric, oldest first.
	Points []TrendPoint

	raw     json.RawMessage
	decoded []TrendPoint
}

// TrendPoint is one value of a trend.
type TrendPoint struct {
	// Day is the date key as sent ("2024-01-26").
	Day string
	// Date is Day parsed (midnight UTC for "2024-01-26").
	Date time.Time
	// Metric is the value's key ("followers", "engagement"); "" when the
	// value was a bare number.
	Metric string
	Value  float64
}

// Last returns the newest point.
func (t Trend) Last() (TrendPoint, bool) {
	if len(t.Points) == 0 {
		return TrendPoint{}, false
	}
	return t.Points[len(t.Points)-1], true
}

// decodeTrend is the tolerant decoding of a Trend (registered with
// jsonx.Register). A value that does not fit
// (a day that is not an object, a value that is not a number, a member
// whose key is not a date) is reported with its path and left out of
// Points; every other point is kept, and the bytes are kept as sent, so
// the trend re-encodes exactly what it got. A null day or value is no
// point.
func decodeTrend(d *jsonx.Decoder, b []byte, t *Trend) {
	*t = Trend{}
	b = bytes.TrimSpace(b)
	t.raw = append(json.RawMessage(nil), b...)
	switch {
	case isNull(b):
		return
	case b[0] == '{':
		var day trendDay
		day.UnmarshalLenient(d, b)
		t.Points = day.points
	case b[0] == '[':
		var days []trendDay
		d.Decode(b, &days)
		for _, day := range days {
			t.Points = append(t.Points, day.points...)
		}
	default:
		d.Report(b, "firstparty.Trend", "a trend is a list of objects keyed by date")
		return
	}
	slices.SortStableFunc(t.Points, func(a, b TrendPoint) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Day, b.Day), cmp.Compare(a.Metric, b.Metric))
	})
	t.decoded = slices.Clone(t.Points)
}

// UnmarshalJSON implements json.Unmarshaler; it fails on any value that
// does not fit (see UnmarshalLenient for the tolerant decoding).
func (t *Trend) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, t) }

// trendDay is one element of a trend: an object keyed by date whose values
// are numbers or objects of numbers keyed by metric.
type trendDay struct{ points []TrendPoint }

// UnmarshalLenient implements jsonx.Lenient.
func (td *trendDay) UnmarshalLenient(d *jsonx.Decoder, b []byte) {
	td.points = nil
	b = bytes.TrimSpace(b)
	members, ok := jsonx.Members(b)
	if !ok {
		d.Report(b, "firstparty.TrendPoint", "a trend day is an object keyed by date")
		return
	}
	for _, m := range members {
		day, raw := m.Name, m.Raw
		date, err := jsonx.ParseTime(day)
		if err != nil || date.IsZero() {
			// A member that is not a date (metadata beside the days): not
			// a point; reported, and kept in the bytes.
			d.Field(day, []byte(strconv.Quote(day)), &notADate{})
			continue
		}
		raw = bytes.TrimSpace(raw)
		switch {
		case isNull(raw):
		case raw[0] == '{':
			var metrics map[string]*jsonx.Float
			d.Field(day, raw, &metrics) // values that are not numbers are reported and dropped
			for m, v := range metrics {
				if v != nil {
					td.points = append(td.points, TrendPoint{Day: day, Date: date, Metric: m, Value: float64(*v)})
				}
			}
		default:
			var n jsonx.Float
			if d.Field(day, raw, &n) {
				td.points = append(td.points, TrendPoint{Day: day, Date: date, Value: float64(n)})
			}
		}
	}
}

// UnmarshalJSON implements json.Unmarshaler.
func (td *trendDay) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, td) }

// notADate reports a trend member whose key is not a date.
type notADate struct{}

// UnmarshalLenient implements jsonx.Lenient: it always reports.
func (*notADate) UnmarshalLenient(d *jsonx.Decoder, key []byte) {
	d.Report(key, "date", "a trend's members are keyed by date")
}

// MarshalJSON implements json.Marshaler: the bytes decoded when Points are
// unchanged, else Ylytic's list form, one object per day.
func (t Trend) MarshalJSON() ([]byte, error) {
	if t.raw != nil && slices.Equal(t.Points, t.decoded) {
		return t.raw, nil
	}
	if t.Points == nil {
		return []byte("null"), nil
	}
	out := []map[string]any{}
	index := map[string]int{}
	for _, p := range t.Points {
		day := p.Day
		if day == "" {
			day = p.Date.Format(time.DateOnly)
		}
		i, ok := index[day]
		if !ok {
			i = len(out)
			index[day] = i
			out = append(out, map[string]any{})
		}
		if p.Metric == "" {
			out[i][day] = p.Value
			continue
		}
		m, _ := out[i][day].(map[string]float64)
		if m == nil {
			m = map[string]float64{}
			out[i][day] = m
		}
		m[p.Metric] = p.Value
	}
	return json.Marshal(out)
}

func init() { jsonx.Register(decodeTrend) }
