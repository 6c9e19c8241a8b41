package hypeauditor

import (
	"bytes"
	"encoding/json"
	"reflect"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// Values HypeAuditor sends in two shapes. Where the published sample
// responses and the attribute tables disagree, the samples show what the
// API really sends; each type here accepts both, says which is which, and
// re-encodes the shape it received (so a decode and re-encode loses
// nothing). A third shape is a mismatch like any other: the client leaves
// the value zero and lists it in ResponseMeta.DecodeIssues (an error
// under WithStrictDecoding and for json.Unmarshal).
//
// Each type registers its tolerant decoding with jsonx.Register: the
// client's tolerant decoder reaches inside it, so a value deep inside that does not fit is reported with its
// own path and everything else of the value is kept.

// firstByte returns the first non-space byte of a JSON value ('{', '[',
// '"', 'n', 't', 'f', or a digit or '-'), or 0 for an empty one.
func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// decodeLenient decodes b into out (a non-nil pointer to a zero value)
// with encoding/json and, only when that fails, value by value through d,
// so what does not fit is left zero and reported with its path while the
// rest is kept. It reports whether b's own shape fitted out.
func decodeLenient(d *jsonx.Decoder, b []byte, out any) bool {
	if json.Unmarshal(b, out) == nil {
		return true
	}
	reflect.ValueOf(out).Elem().SetZero()
	return d.Decode(b, out)
}

// onlyUnknown reports whether the object b has members but none of names:
// a union's object form that carries nothing it knows (a bare value
// wrapped as {"value": ...}, say) is a mismatch to report, not an empty
// value.
func onlyUnknown(b []byte, names ...string) bool {
	var members map[string]json.RawMessage
	if json.Unmarshal(b, &members) != nil || len(members) == 0 {
		return false
	}
	for _, n := range names {
		if _, ok := members[n]; ok {
			return false
		}
	}
	return true
}

// isNumber reports whether c starts a JSON number.
func isNumber(c byte) bool { return c == '-' || (c >= '0' && c <= '9') }

// AudienceGeo is an audience's split by country (features.audience_geo.data
// of TikTok and YouTube reports).
//
// The attribute tables show a list: [{code, prc}] on TikTok, [{title,
// prc}] on YouTube (the shape of the published YouTube sample). The
// published TikTok sample sends an object instead: {"groups": {region:
// prc}, "countries": [{id, code, prc}]}. Both decode: the list, or the
// object's countries, into Countries; the object's groups into Groups.
// It re-encodes in the shape received; one built in code encodes as the
// object when Groups is set, else as the list.
type AudienceGeo struct {
	// Countries are the audience's countries in percent, largest first
	// as sent (read each with AudienceShare.Key and
	// AudienceShare.Percent).
	Countries []AudienceShare
	// Groups are the audience's regions in percent (africa, america,
	// asia, dach, latam, nordics, uk_ire, ...): object form only.
	Groups map[string]Float

	object bool
}

// audienceGeoObject is the object form of AudienceGeo.
type audienceGeoObject struct {
	Groups    map[string]Float `json:"groups,omitzero"`
	Countries []AudienceShare  `json:"countries,omitzero"`
}

// decodeAudienceGeo is the tolerant decoding of AudienceGeo (registered with
// jsonx.Register): it accepts the list and the object form.
func decodeAudienceGeo(d *jsonx.Decoder, b []byte, g *AudienceGeo) {
	*g = AudienceGeo{}
	switch firstByte(b) {
	case '[':
		var list []AudienceShare
		decodeLenient(d, b, &list)
		g.Countries = list
	case '{':
		var o audienceGeoObject
		decodeLenient(d, b, &o)
		*g = AudienceGeo{Countries: o.Countries, Groups: o.Groups, object: true}
	case 'n':
	default:
		d.Report(b, "hypeauditor.AudienceGeo", "a list of countries or {groups, countries}")
	}
}

// UnmarshalJSON accepts the list and the object form; any other shape is
// an error.
func (g *AudienceGeo) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, g) }

// MarshalJSON writes the shape received.
func (g AudienceGeo) MarshalJSON() ([]byte, error) {
	if g.object || g.Groups != nil {
		return json.Marshal(audienceGeoObject{Groups: g.Groups, Countries: g.Countries})
	}
	return json.Marshal(g.Countries)
}

// IsObject reports whether the geo came as the object form.
func (g *AudienceGeo) IsObject() bool { return g != nil && (g.object || g.Groups != nil) }

// PeriodMark is one period of a YouTube video's cpm.performance. The
// attribute table shows a bare mark ("poor"); the published YouTube sample
// sends an object ({"mark": "poor"}). Both decode into Mark (the object's
// other fields, if any, into the rest of Period); it re-encodes in the
// shape received.
type PeriodMark struct {
	Period

	bare bool
}

// decodePeriodMark is the tolerant decoding of PeriodMark (registered with
// jsonx.Register): it accepts a string and an object.
func decodePeriodMark(d *jsonx.Decoder, b []byte, m *PeriodMark) {
	*m = PeriodMark{}
	switch firstByte(b) {
	case '"':
		var s string
		decodeLenient(d, b, &s)
		*m = PeriodMark{Period: Period{Mark: s}, bare: true}
	case '{':
		var p Period
		decodeLenient(d, b, &p)
		m.Period = p
	case 'n':
	default:
		d.Report(b, "hypeauditor.PeriodMark", "a mark or {mark}")
	}
}

// UnmarshalJSON accepts a string and an object; any other shape is an
// error.
func (m *PeriodMark) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, m) }

// MarshalJSON writes the shape received: a string for a bare mark, else
// the object.
func (m PeriodMark) MarshalJSON() ([]byte, error) {
	if m.bare {
		return json.Marshal(m.Mark)
	}
	return json.Marshal(m.Period)
}

// IsBare reports whether the mark came as a bare string.
func (m *PeriodMark) IsBare() bool { return m != nil && m.bare }

// ReportQuality is a report's report_quality. The samples send a string
// ("FULL" on YouTube, "NO_POSTS_7D" on TikTok); the YouTube attribute table
// calls it an object without listing its fields. A string decodes into
// Code; anything else is kept as received in Other.
type ReportQuality struct {
	// Code is the string form.
	Code string
	// Other is any other form, as received (its fields are not
	// documented).
	Other json.RawMessage
}

// decodeReportQuality is the tolerant decoding of ReportQuality (registered with
// jsonx.Register): it accepts a string, null, or any other JSON value (kept
// in Other).
func decodeReportQuality(d *jsonx.Decoder, b []byte, q *ReportQuality) {
	*q = ReportQuality{}
	switch firstByte(b) {
	case '"':
		decodeLenient(d, b, &q.Code)
	case 'n':
	default:
		q.Other = append(json.RawMessage(nil), b...)
	}
}

// UnmarshalJSON accepts a string, null, or any other JSON value (kept in
// Other).
func (q *ReportQuality) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, q) }

// MarshalJSON writes the form received.
func (q ReportQuality) MarshalJSON() ([]byte, error) {
	switch {
	case q.Other != nil:
		return q.Other, nil
	case q.Code != "":
		return json.Marshal(q.Code)
	}
	return []byte("null"), nil
}

// IsZero reports whether no quality was sent.
func (q ReportQuality) IsZero() bool { return q.Code == "" && q.Other == nil }

// ReportFeatures is result.features of a YouTube or TikTok report: the
// optional blocks asked for with the features parameter. The published
// YouTube sample, which asked for none, sends an empty list ([], what PHP
// makes of an empty map); Instagram answers with an object keyed by block,
// and neither shape is documented for these networks. A list of names
// decodes into Names, any other list into Items, an object into Blocks
// (each block kept as received). It re-encodes in the shape received.
type ReportFeatures struct {
	// Names are the entries of a list of strings.
	Names []string
	// Items are the entries of a list whose entries are not all strings,
	// as received.
	Items []json.RawMessage
	// Blocks are the entries of an object, keyed by block, as received.
	Blocks map[string]json.RawMessage

	list bool
}

// decodeReportFeatures is the tolerant decoding of ReportFeatures (registered with
// jsonx.Register): it accepts a list and an object.
func decodeReportFeatures(d *jsonx.Decoder, b []byte, f *ReportFeatures) {
	*f = ReportFeatures{}
	switch firstByte(b) {
	case '[':
		var names []string
		if json.Unmarshal(b, &names) == nil {
			*f = ReportFeatures{Names: names, list: true}
			return
		}
		var items []json.RawMessage
		decodeLenient(d, b, &items)
		*f = ReportFeatures{Items: items, list: true}
	case '{':
		var blocks map[string]json.RawMessage
		decodeLenient(d, b, &blocks)
		f.Blocks = blocks
	case 'n':
	default:
		d.Report(b, "hypeauditor.ReportFeatures", "a list or an object of blocks")
	}
}

// UnmarshalJSON accepts a list and an object; any other shape is an
// error.
func (f *ReportFeatures) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, f) }

// MarshalJSON writes the shape received.
func (f ReportFeatures) MarshalJSON() ([]byte, error) {
	switch {
	case f.Items != nil:
		return json.Marshal(f.Items)
	case f.list || f.Names != nil:
		if f.Names == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(f.Names)
	case f.Blocks != nil:
		return json.Marshal(f.Blocks)
	}
	return []byte("null"), nil
}

// IsZero reports whether no features were sent.
func (f ReportFeatures) IsZero() bool {
	return !f.list && f.Names == nil && f.Items == nil && f.Blocks == nil
}

// Block decodes the block name of the object form (Instagram's
// features.ranking, features.content, ...) into out, whether it is
// wrapped as {"data": ...} or not; it reports whether the block was there
// and fitted out.
func (f ReportFeatures) Block(name string, out any) bool {
	return decodeMaybeWrapped(f.Blocks[name], out)
}

// decodeMaybeWrapped decodes a feature sent as {"data": ...} or bare into
// out; false when it is absent, null, or does not fit.
func decodeMaybeWrapped(raw json.RawMessage, out any) bool {
	if decodeFeature(raw, out) {
		return true
	}
	if len(raw) == 0 || firstByte(raw) == 'n' || bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`{"data"`)) {
		return false
	}
	return json.Unmarshal(raw, out) == nil
}

func init() {
	jsonx.Register(decodeAudienceGeo)
	jsonx.Register(decodePeriodMark)
	jsonx.Register(decodeReportQuality)
	jsonx.Register(decodeReportFeatures)
}
