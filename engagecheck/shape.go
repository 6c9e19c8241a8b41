package engagecheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// rowsShape checks the shape of a row list the SDK needs to go on (a
// page's data, a batch's results): an array whose elements are objects.
// It is decoded as a control field next to the rows themselves, so a list
// that is not one is ErrUnexpectedResponse rather than an empty list
// (which would tell reconciliation that nothing was created). null and an
// absent member are an empty list, as encoding/json reads them.
type rowsShape struct{}

// UnmarshalJSON accepts null or an array of objects.
func (*rowsShape) UnmarshalJSON(b []byte) error {
	var rows []json.RawMessage
	if err := json.Unmarshal(b, &rows); err != nil {
		return fmt.Errorf("not an array")
	}
	for i, r := range rows {
		if r = bytes.TrimSpace(r); len(r) == 0 || r[0] != '{' {
			return fmt.Errorf("row %d is not an object", i)
		}
	}
	return nil
}

// isObject reports whether data is a JSON object.
func isObject(data []byte) bool {
	data = bytes.TrimSpace(data)
	return len(data) > 0 && data[0] == '{'
}

// A bad row costs only that row: decodeAuditList reads a page's rows one
// by one. A row that is not an object (null, an array, a scalar), or whose
// id, username, status or created_at is missing, null or of the wrong
// type, is left out of AuditList.Data and reported (its path in
// Response.DecodeIssues, and on AuditList.skipped for the helpers that
// answer per row); the page's other rows are yielded as they are. Only a
// page whose data is not an array of rows at all is ErrUnexpectedResponse.

// listRow is one row of a page as decoded: the row, or (skipped) what
// could be read of a row the SDK cannot use.
type listRow struct {
	AuditSummary
	skipped bool
}

type auditSummaryFields AuditSummary

// nullRow stands for a null row while a page's rows are decoded: jsonx
// leaves a null value zero without asking the row's decoder, which must
// report it.
var nullRow = []byte(`{"\u0000":"null row"}`)

// skipDetail is the detail of an issue that made the SDK skip a row.
const skipDetail = "the row is skipped"

// decodeListRow is the tolerant decoding of one row of a page (registered
// with jsonx.Register): the row's values that fit, and whether a value the
// SDK needs to follow the audit (id, username, status, created_at) is
// missing or does not fit, in which case the row is skipped.
func decodeListRow(d *jsonx.Decoder, data []byte, r *listRow) {
	switch {
	case bytes.Equal(data, nullRow):
		d.Report([]byte("null"), "engagecheck.AuditSummary", skipDetail)
		r.skipped = true
		return
	case !isObject(data):
		d.Report(data, "engagecheck.AuditSummary", skipDetail)
		r.skipped = true
		return
	}
	before := len(d.Issues())
	// encoding/json's own path first, at its speed; the member-by-member
	// walk only when a value does not fit.
	if json.Unmarshal(data, (*auditSummaryFields)(&r.AuditSummary)) != nil {
		r.AuditSummary = AuditSummary{}
		d.Decode(data, (*auditSummaryFields)(&r.AuditSummary))
	}
	need := func(name string, ok bool, want string) {
		if ok {
			return
		}
		r.skipped = true
		for _, is := range d.Issues()[before:] {
			if strings.HasSuffix(is.Path, "."+name) {
				return // the value did not fit its type: already reported
			}
		}
		var got []byte // absent
		ms, _ := jsonx.Members(data)
		for _, m := range ms {
			if m.Name == name {
				got = m.Raw
			}
		}
		reportMember(d, name, got, want)
	}
	need("id", r.ID > 0, "int64")
	need("username", r.Username != "", "string")
	need("status", r.Status != "", "engagecheck.AuditStatus")
	need("created_at", r.CreatedAt != nil, "creatorkit.Time")
}

// issueSpec is an issue to report through reportMember.
type issueSpec struct {
	Got    string `json:"got"`
	Want   string `json:"want"`
	Detail string `json:"detail"`
}

// issueMark reports the issueSpec it is decoded from (registered with
// jsonx.Register), so that reportMember can report at a member's path a
// value jsonx would not report (a null, an absent member).
type issueMark struct{}

func decodeIssueMark(d *jsonx.Decoder, data []byte, _ *issueMark) {
	var spec issueSpec
	_ = json.Unmarshal(data, &spec)
	d.Report([]byte(spec.Got), spec.Want, spec.Detail)
}

// reportMember reports, at member name of the current path, that got (its
// raw value; nil when absent) does not fit want, and that its row is
// skipped.
func reportMember(d *jsonx.Decoder, name string, got []byte, want string) {
	spec, _ := json.Marshal(issueSpec{Got: string(got), Want: want, Detail: skipDetail})
	d.Field(name, spec, &issueMark{})
}

// reportNoRows reports, as a control issue (the answer is unusable), that
// a page's data (got; nil when absent) is not an array of rows.
func reportNoRows(d *jsonx.Decoder, got []byte) {
	spec, _ := json.Marshal(issueSpec{Got: string(got), Want: "an array of rows", Detail: "the page has no rows to read"})
	var shape struct {
		Data issueMark `json:"data" creatorkit:"control"`
	}
	d.Decode([]byte(`{"data":`+string(spec)+`}`), &shape)
}

type auditListEnvelope struct {
	Count  int `json:"count"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// decodeAuditList is the tolerant decoding of an AuditList (registered
// with jsonx.Register): the page's members field by field, and its rows
// one by one (decodeListRow). data must be an array (a control field:
// null, absent or anything else is no page at all, never an empty one,
// which would tell reconciliation that nothing was created).
func decodeAuditList(d *jsonx.Decoder, data []byte, l *AuditList) {
	// encoding/json's own path first, at its speed; the member-by-member
	// walk only when a value of the envelope does not fit.
	var page struct {
		auditListEnvelope
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(data, &page) != nil {
		ms, ok := jsonx.Members(data)
		var env auditListEnvelope
		d.Decode(data, &env) // not an object: reported at $ (and refused by do)
		if !ok {
			return
		}
		page.auditListEnvelope, page.Data = env, nil
		for _, m := range ms {
			if m.Name == "data" {
				page.Data = m.Raw
			}
		}
	}
	l.Count, l.Limit, l.Offset = page.Count, page.Limit, page.Offset
	raw := page.Data
	var elems []json.RawMessage
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '[' || json.Unmarshal(t, &elems) != nil {
		reportNoRows(d, raw)
		return
	}
	nulls := false
	for i, e := range elems {
		if bytes.Equal(bytes.TrimSpace(e), []byte("null")) {
			elems[i], nulls = nullRow, true
		}
	}
	if nulls {
		raw, _ = json.Marshal(elems)
	}
	var rows []listRow
	d.Field("data", raw, &rows)
	l.rows = len(rows)
	l.Data = make([]AuditSummary, 0, len(rows))
	for i, r := range rows {
		if r.skipped {
			l.skipped = append(l.skipped, skippedRow{index: i, row: r.AuditSummary})
			continue
		}
		l.Data = append(l.Data, r.AuditSummary)
	}
}

// skippedRow is a row of a page the SDK could not use: its index on the
// page and what could be read of it.
type skippedRow struct {
	index int
	row   AuditSummary
}

// UnmarshalJSON decodes strictly: any value that does not fit is an error.
func (l *AuditList) UnmarshalJSON(data []byte) error { return jsonx.StrictFor(data, l) }

type batchFields Batch

// decodeBatch is the tolerant decoding of a Batch (registered with
// jsonx.Register): it decodes the batch field by field, checking the shape of
// results as a control field.
func decodeBatch(d *jsonx.Decoder, data []byte, b *Batch) {
	if isObject(data) {
		var shape struct {
			Results rowsShape `json:"results" creatorkit:"control"`
		}
		d.Decode(data, &shape)
	}
	d.Decode(data, (*batchFields)(b))
}

// UnmarshalJSON decodes strictly: any value that does not fit is an error.
func (b *Batch) UnmarshalJSON(data []byte) error { return jsonx.StrictFor(data, b) }

func init() {
	jsonx.Register(decodeAuditList)
	jsonx.Register(decodeListRow)
	jsonx.Register(decodeIssueMark)
}

func init() { jsonx.Register(decodeBatch) }
