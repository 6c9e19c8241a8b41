package hypeauditor

import (
	"encoding/json"
	"reflect"
)

// Values HypeAuditor sends in two shapes. Where the published sample
// responses and the attribute tables disagree, the samples show what the
// API really sends; each type here accepts both, says which is which, and
// re-encodes the shape it received (so a decode and re-encode loses
// nothing). A third shape is an error, like any other type mismatch.

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

// typeError is the error of a value in neither accepted shape; it is the
// error encoding/json itself returns for a mismatch.
func typeError(b []byte, v any) error {
	kind := "number"
	switch firstByte(b) {
	case '{':
		kind = "object"
	case '[':
		kind = "array"
	case '"':
		kind = "string"
	case 't', 'f':
		kind = "bool"
	}
	return &json.UnmarshalTypeError{Value: kind, Type: reflect.TypeOf(v)}
}

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
	// as sent (read each with Share.Key and Share.Percent).
	Countries []Share
	// Groups are the audience's regions in percent (africa, america,
	// asia, dach, latam, nordics, uk_ire, ...): object form only.
	Groups map[string]Float

	object bool
}

// audienceGeoObject is the object form of AudienceGeo.
type audienceGeoObject struct {
	Groups    map[string]Float `json:"groups,omitzero"`
	Countries []Share          `json:"countries,omitzero"`
}

// UnmarshalJSON accepts the list and the object form.
func (g *AudienceGeo) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case '[':
		var list []Share
		if err := json.Unmarshal(b, &list); err != nil {
			return err
		}
		*g = AudienceGeo{Countries: list}
	case '{':
		var o audienceGeoObject
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*g = AudienceGeo{Countries: o.Countries, Groups: o.Groups, object: true}
	case 'n':
		*g = AudienceGeo{}
	default:
		return typeError(b, g)
	}
	return nil
}

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

// UnmarshalJSON accepts a string and an object.
func (m *PeriodMark) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*m = PeriodMark{Period: Period{Mark: s}, bare: true}
	case '{':
		var p Period
		if err := json.Unmarshal(b, &p); err != nil {
			return err
		}
		*m = PeriodMark{Period: p}
	case 'n':
		*m = PeriodMark{}
	default:
		return typeError(b, m)
	}
	return nil
}

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

// UnmarshalJSON accepts a string, null, or any other JSON value (kept in
// Other).
func (q *ReportQuality) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*q = ReportQuality{Code: s}
	case 'n':
		*q = ReportQuality{}
	default:
		*q = ReportQuality{Other: append(json.RawMessage(nil), b...)}
	}
	return nil
}

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

// UnmarshalJSON accepts a list and an object.
func (f *ReportFeatures) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case '[':
		var names []string
		if json.Unmarshal(b, &names) == nil {
			*f = ReportFeatures{Names: names, list: true}
			return nil
		}
		var items []json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		*f = ReportFeatures{Items: items, list: true}
	case '{':
		var blocks map[string]json.RawMessage
		if err := json.Unmarshal(b, &blocks); err != nil {
			return err
		}
		*f = ReportFeatures{Blocks: blocks}
	case 'n':
		*f = ReportFeatures{}
	default:
		return typeError(b, f)
	}
	return nil
}

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
