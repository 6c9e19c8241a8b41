package engagecheck

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// SignalEngagementRate is the key of the engagement rate signal.
const SignalEngagementRate = "engagement_rate"

// firstNumber finds the first number of a display text: digits with an
// optional decimal part after a period or a comma.
var firstNumber = regexp.MustCompile(`[-+]?[0-9]+(?:[.,][0-9]+)?`)

// ParseEngagementRate reads an engagement rate, in percent, from
// EngageCheck's display text: "3.10% ER" is 3.1. It takes the first number
// of the text, whatever surrounds it ("ER 3.10 %", "3,10% ER", "3.1%",
// "3.10"), with a period or a comma as the decimal separator; a number
// without a percent sign is taken as percent too, as EngageCheck shows
// rates. It reports false for a text with no number, or a negative or
// non-finite one.
func ParseEngagementRate(text string) (float64, bool) {
	m := firstNumber.FindString(text)
	if m == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.Replace(m, ",", ".", 1), 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// engagementRate parses the engagement_rate signal's display text; nil
// when there is none or it holds no number.
func (r *Report) engagementRate() *float64 {
	sig := r.Signal(SignalEngagementRate)
	if sig == nil {
		return nil
	}
	v, ok := ParseEngagementRate(sig.Value)
	if !ok {
		return nil
	}
	return &v
}

type reportFields Report

// decodeReport is the tolerant decoding of a Report (registered with
// jsonx.Register): the members as sent, then EngagementRate parsed from
// the engagement_rate signal.
func decodeReport(d *jsonx.Decoder, data []byte, r *Report) {
	if err := json.Unmarshal(data, (*reportFields)(r)); err != nil {
		*r = Report{}
		d.Decode(data, (*reportFields)(r))
	}
	r.EngagementRate = r.engagementRate()
}

// UnmarshalJSON decodes strictly: any value that does not fit is an error.
// It also sets EngagementRate.
func (r *Report) UnmarshalJSON(data []byte) error { return jsonx.StrictFor(data, r) }

func init() { jsonx.Register(decodeReport) }
