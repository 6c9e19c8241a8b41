package engagecheck

import (
	"bytes"
	"encoding/json"
	"fmt"

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

type auditListFields AuditList

// decodeAuditList is the tolerant decoding of an AuditList (registered with
// jsonx.Register): it decodes the page field by field, checking the shape of
// data as a control field.
func decodeAuditList(d *jsonx.Decoder, data []byte, l *AuditList) {
	if isObject(data) {
		var shape struct {
			Data rowsShape `json:"data" creatorkit:"control"`
		}
		d.Decode(data, &shape)
	}
	d.Decode(data, (*auditListFields)(l))
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

func init() { jsonx.Register(decodeAuditList) }

func init() { jsonx.Register(decodeBatch) }
