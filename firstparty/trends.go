package firstparty

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
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
// values, and re-encodes exactly what it decoded unless Points changed.
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
	// Date is Day parsed (UTC midnight); zero when Day is not a date.
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

// UnmarshalJSON implements json.Unmarshaler.
func (t *Trend) UnmarshalJSON(b []byte) error {
	*t = Trend{}
	b = bytes.TrimSpace(b)
	t.raw = append(json.RawMessage(nil), b...)
	if isNull(b) {
		return nil
	}
	var days []map[string]json.RawMessage
	if b[0] == '{' {
		var one map[string]json.RawMessage
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		days = []map[string]json.RawMessage{one}
	} else if err := json.Unmarshal(b, &days); err != nil {
		return fmt.Errorf("firstparty: trend: %w", err)
	}
	for _, day := range days {
		for key, raw := range day {
			pts, err := trendPoints(key, raw)
			if err != nil {
				return err
			}
			t.Points = append(t.Points, pts...)
		}
	}
	slices.SortStableFunc(t.Points, func(a, b TrendPoint) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Day, b.Day), cmp.Compare(a.Metric, b.Metric))
	})
	t.decoded = slices.Clone(t.Points)
	return nil
}

func trendPoints(day string, raw json.RawMessage) ([]TrendPoint, error) {
	date, _ := jsonx.ParseTime(day)
	var n jsonx.Float
	if raw = bytes.TrimSpace(raw); len(raw) > 0 && raw[0] != '{' {
		if err := json.Unmarshal(raw, &n); err != nil {
			return nil, fmt.Errorf("firstparty: trend value of %s: %w", day, err)
		}
		return []TrendPoint{{Day: day, Date: date, Value: float64(n)}}, nil
	}
	var metrics map[string]jsonx.Float
	if err := json.Unmarshal(raw, &metrics); err != nil {
		return nil, fmt.Errorf("firstparty: trend values of %s: %w", day, err)
	}
	pts := make([]TrendPoint, 0, len(metrics))
	for m, v := range metrics {
		pts = append(pts, TrendPoint{Day: day, Date: date, Metric: m, Value: float64(v)})
	}
	return pts, nil
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
