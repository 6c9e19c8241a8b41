package hypeauditor

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListModelsRoundTripFixtures(t *testing.T) {
	t.Parallel()
	roundTripFixtures(t, map[string]func() any{
		"lists.json":        func() any { return &envelope[flexList[SavedList]]{} },
		"list_reports.json": func() any { return &envelope[flexList[ListReport]]{} },
		"list_edit.json":    func() any { return &json.RawMessage{} },
	})
}

// A list answer decodes as a bare list and under each key it may come
// under, and re-encodes as received.
func TestFlexListShapes(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`[{"id": 1, "title": "A"}]`, `{"lists": [{"id": 1, "title": "A"}]}`, `{"data": [{"id": 1, "name": "A"}], "total": 1}`, `{"items": []}`} {
		var l flexList[SavedList]
		require.NoError(t, json.Unmarshal([]byte(in), &l), in)
		out, err := json.Marshal(l)
		require.NoError(t, err)
		assert.Empty(t, fixture.Diff([]byte(in), out), in)
	}
	var l flexList[SavedList]
	assert.Error(t, json.Unmarshal([]byte(`{"other": []}`), &l))
	assert.Error(t, json.Unmarshal([]byte(`"x"`), &l))
	require.NoError(t, json.Unmarshal([]byte(`{"reports": [{"id": "9", "report_id": 5}]}`), new(flexList[ListReport])))
}
