package creatoraudit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// A bad row costs only that row. The rows of a list page (accounts,
// videos, account videos, creators) and of the search sections are decoded
// one at a time, apart from the page: a row that is not an object (null,
// an array, a scalar), or whose id is missing or cannot be read, is
// skipped, and the page keeps its other rows. Each skipped row is one
// DecodeIssue at its path ("data[3]", with the id's own issue at
// "data[3].id"), listed in the page's Response.DecodeIssues and logged
// once at Warn; a value of a kept row that does not fit is an issue at its
// path as anywhere else. With WithStrictDecoding a bad row fails the call.

// rawPage is a list page with its rows kept as sent.
type rawPage struct {
	Data       []json.RawMessage `json:"data"`
	Pagination Pagination        `json:"pagination"`
	Filters    json.RawMessage   `json:"filters,omitempty"`
	Raw        json.RawMessage   `json:"-"`
	Response   *ResponseMeta     `json:"-"`
}

// row is a type a list or a search section holds.
type row interface {
	Account | Video | Creator | SearchAccount | SearchCreator | SearchVideo
}

// rowID returns the id of a decoded row.
func rowID(v any) string {
	switch r := v.(type) {
	case *Account:
		return r.ID
	case *Video:
		return string(r.ID)
	case *Creator:
		return r.ID
	case *SearchAccount:
		return r.ID
	case *SearchCreator:
		return r.ID
	case *SearchVideo:
		return r.ID
	}
	return ""
}

// rowReader decodes the rows of one answer and collects their issues.
type rowReader struct {
	c       *Client
	op      string
	issues  []DecodeIssue
	skipped []string // paths of the skipped rows
}

// readRows decodes raws, the rows found at path at ("data",
// "data.accounts"), keeping the rows that can be used.
func readRows[T row](r *rowReader, at string, raws []json.RawMessage) []T {
	if raws == nil {
		return nil
	}
	out := make([]T, 0, len(raws))
	want := fmt.Sprintf("%T", *new(T))
	for i, raw := range raws {
		path := at + "[" + strconv.Itoa(i) + "]"
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || raw[0] != '{' {
			r.skip(path, DecodeIssue{Path: path, Got: jsonx.Kind(raw), Want: want, Detail: "the row is not an object; skipped"})
			continue
		}
		var v T
		issues, err := jsonx.Decode(raw, &v)
		if err != nil { // not JSON: the page itself was, so this cannot happen
			r.skip(path, DecodeIssue{Path: path, Got: jsonx.Kind(raw), Want: want, Detail: "skipped: " + err.Error()})
			continue
		}
		bad := false
		for _, is := range issues {
			is.Path = joinIssuePath(path, is.Path)
			if is.Control {
				bad, is.Control = true, false
				is.Detail = strings.TrimSpace(is.Detail + " (the row's id: row skipped)")
			}
			r.issues = append(r.issues, is)
		}
		if !bad && rowID(&v) == "" {
			bad = true
			r.issues = append(r.issues, DecodeIssue{Path: path + ".id", Got: jsonx.Kind(member(raw, "id")), Want: "string", Detail: "the row has no id; row skipped"})
		}
		if bad {
			r.skipped = append(r.skipped, path)
			continue
		}
		out = append(out, v)
	}
	return out
}

// skip records a row left out.
func (r *rowReader) skip(path string, is DecodeIssue) {
	r.issues = append(r.issues, is)
	r.skipped = append(r.skipped, path)
}

// done adds the rows' issues to meta (redacted: a detail may quote a
// value), logs the skipped rows once, and fails under WithStrictDecoding
// when any row did not fit.
func (r *rowReader) done(meta *ResponseMeta) error {
	if len(r.issues) == 0 {
		return nil
	}
	r.c.t.RedactValue(&r.issues)
	if r.c.strict {
		return transport.NewError(vendor, r.op, ErrUnexpectedResponse, "a row did not fit (WithStrictDecoding): %s", r.issues[0])
	}
	if meta != nil {
		meta.DecodeIssues = append(meta.DecodeIssues, r.issues...)
	}
	if len(r.skipped) > 0 && r.c.log != nil {
		r.c.log.Warn("creatorkit: list rows could not be read; they were skipped (see Response.DecodeIssues)",
			"vendor", vendor, "op", r.op, "skipped", len(r.skipped), "rows", strings.Join(r.skipped, ", "))
	}
	return nil
}

// joinIssuePath puts a row's issue path under the row's own.
func joinIssuePath(row, p string) string {
	switch {
	case p == "" || p == "$":
		return row
	case strings.HasPrefix(p, "["):
		return row + p
	}
	return row + "." + p
}

// member returns the raw value of an object's member, nil when absent.
func member(obj json.RawMessage, name string) json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return nil
	}
	return m[name]
}
