package creatoraudit

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// merged is the Raw and Response of a result merged from several
// requests (batch metrics, deltas): Raw is the one body, or a JSON array
// of every body in order; Response is a copy of the last response's
// metadata carrying the DecodeIssues of every request.
func merged(pages []MetricsPage) (json.RawMessage, *ResponseMeta) {
	if len(pages) == 0 {
		return nil, nil
	}
	last := pages[len(pages)-1].Response
	var meta *ResponseMeta
	if last != nil {
		cp := *last
		meta = &cp
		meta.DecodeIssues = nil
		for _, p := range pages {
			if p.Response != nil {
				meta.DecodeIssues = append(meta.DecodeIssues, p.Response.DecodeIssues...)
			}
		}
	}
	if len(pages) == 1 {
		return pages[0].Raw, meta
	}
	raws := make([]json.RawMessage, 0, len(pages))
	for _, p := range pages {
		if len(p.Raw) > 0 {
			raws = append(raws, p.Raw)
		}
	}
	raw, _ := json.Marshal(raws)
	return raw, meta
}

// batchData is the data of a batch-metrics answer: the body as received
// and the metrics read out of it per id.
type batchData struct {
	raw  json.RawMessage
	byID map[string]Metrics
}

// UnmarshalJSON implements json.Unmarshaler (strict).
func (b *batchData) UnmarshalJSON(data []byte) error { return jsonx.Strict(data, b) }

// UnmarshalLenient implements jsonx.Lenient. [inferred] data is an object
// keyed by id (null entries mean no data), or an array of objects that
// name their id in id, account_id, video_id or post_id.
func (b *batchData) UnmarshalLenient(d *jsonx.Decoder, data []byte) {
	b.raw = append(json.RawMessage(nil), data...)
	b.byID = map[string]Metrics{}
	if len(data) > 0 && data[0] == '[' {
		var rows []batchRow
		if !decode(d, data, &rows) {
			return
		}
		for _, r := range rows {
			if r.id != "" {
				b.byID[r.id] = r.m
			}
		}
		return
	}
	var obj map[string]json.RawMessage
	if !decode(d, data, &obj) {
		return
	}
	for id, v := range obj {
		if isNull(v) {
			continue
		}
		var m Metrics
		d.Field(id, v, &m)
		b.byID[id] = m
	}
}

// batchRow is one element of an array-shaped batch answer.
type batchRow struct {
	id string
	m  Metrics
}

// UnmarshalJSON implements json.Unmarshaler (strict).
func (r *batchRow) UnmarshalJSON(data []byte) error { return jsonx.Strict(data, r) }

// UnmarshalLenient implements jsonx.Lenient.
func (r *batchRow) UnmarshalLenient(d *jsonx.Decoder, data []byte) {
	*r = batchRow{}
	var fields map[string]json.RawMessage
	if !decode(d, data, &fields) {
		return
	}
	r.id = firstID(d, fields, "id", "account_id", "video_id", "post_id")
	r.m.fromFields(d, fields)
}

// firstID reads an id (a string or a number) from the first of names
// present; a value of another kind is reported and the next name tried.
func firstID(d *jsonx.Decoder, fields map[string]json.RawMessage, names ...string) string {
	for _, n := range names {
		raw, ok := fields[n]
		if !ok || isNull(raw) {
			continue
		}
		var id jsonx.ID
		if d.Field(n, raw, &id) && id != "" {
			return string(id)
		}
	}
	return ""
}

// deltasData is the data of a deltas answer: the body as received and the
// metrics per video and window.
type deltasData struct {
	raw     json.RawMessage
	byVideo map[string]map[int]Metrics
}

// UnmarshalJSON implements json.Unmarshaler (strict).
func (x *deltasData) UnmarshalJSON(data []byte) error { return jsonx.Strict(data, x) }

// UnmarshalLenient implements jsonx.Lenient. [inferred] data is
// {video_id: {window: metrics}}.
func (x *deltasData) UnmarshalLenient(d *jsonx.Decoder, data []byte) {
	x.raw = append(json.RawMessage(nil), data...)
	x.byVideo = map[string]map[int]Metrics{}
	var obj map[string]deltaWindows
	if !decode(d, data, &obj) {
		return
	}
	for id, per := range obj {
		if len(per) > 0 {
			x.byVideo[id] = per
		}
	}
}

// deltaWindows are one video's deltas keyed by window in days; a key is
// "7" or "7d".
type deltaWindows map[int]Metrics

// UnmarshalJSON implements json.Unmarshaler (strict).
func (w *deltaWindows) UnmarshalJSON(data []byte) error { return jsonx.Strict(data, w) }

// UnmarshalLenient implements jsonx.Lenient: a key that names no window is
// reported and its value dropped.
func (w *deltaWindows) UnmarshalLenient(d *jsonx.Decoder, data []byte) {
	*w = deltaWindows{}
	var obj map[string]json.RawMessage
	if !decode(d, data, &obj) {
		return
	}
	for k, raw := range obj {
		if isNull(raw) {
			continue
		}
		days, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(k), "d"))
		if err != nil || days <= 0 {
			d.Field(k, raw, &windowKey{})
			continue
		}
		var m Metrics
		d.Field(k, raw, &m)
		(*w)[days] = m
	}
}

// windowKey stands for the value of a member whose key names no window:
// decoding it reports the member.
type windowKey struct{}

// UnmarshalLenient implements jsonx.Lenient.
func (windowKey) UnmarshalLenient(d *jsonx.Decoder, data []byte) {
	d.Report(data, "a window in days", `the key must be a number of days, such as "7" or "7d"`)
}
