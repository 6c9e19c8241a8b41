package roster

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func normalize(in string) (string, error) {
	k := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(in), "@"))
	if strings.ContainsAny(k, " /") {
		return "", fmt.Errorf("%q is not a handle", in)
	}
	return k, nil
}

type got struct {
	ans creatorkit.Answer[string]
	err error
}

func collect(out *[]got) func(creatorkit.Answer[string], error) bool {
	return func(a creatorkit.Answer[string], err error) bool {
		*out = append(*out, got{a, err})
		return true
	}
}

// Every input is answered exactly once, tied to its index and input:
// blanks and invalid inputs at once, duplicates with their item's one
// result.
func TestEveryInputAnsweredOnce(t *testing.T) {
	var out []got
	inputs := []string{"natgeo", "", "@NatGeo", "bad handle", "nasa", "NASA", "  "}
	b, invalid := New("v", "Op", inputs, normalize, collect(&out))
	assert.Equal(t, []string{"natgeo", "nasa"}, b.Keys(), "distinct items, in order")
	assert.Equal(t, []string{"natgeo", "@NatGeo"}, b.Inputs("natgeo"))
	require.True(t, b.Refuse(invalid, func(in string, err error) string { return "not submitted: " + err.Error() }))
	require.Len(t, out, 3, "the blanks and the invalid handle are answered before anything is sent")
	total, pending, _, failed := b.Counts()
	assert.Equal(t, 7, total)
	assert.Equal(t, 4, pending)
	assert.Equal(t, 3, failed)

	require.True(t, b.Done("nasa", "report of nasa", nil))
	require.True(t, b.Done("nasa", "again", nil), "a second answer for an item is ignored")
	cause := &creatorkit.ItemError{Vendor: "v", Item: "instagram/@natgeo", ID: "136", State: "error", Reason: "the account is private", Err: errors.New("audit failed")}
	require.True(t, b.Done("natgeo", "partial", cause))
	assert.Empty(t, b.Pending())

	require.Len(t, out, len(inputs), "one answer per input")
	seen := map[int]bool{}
	for _, g := range out {
		assert.False(t, seen[g.ans.Index], "input %d answered twice", g.ans.Index)
		seen[g.ans.Index] = true
		assert.Equal(t, inputs[g.ans.Index], g.ans.Input)
		if g.err != nil {
			var ie *creatorkit.ItemError
			require.ErrorAs(t, g.err, &ie)
			assert.Equal(t, g.ans.Index, ie.Index)
			assert.Equal(t, g.ans.Input, ie.Input)
			assert.NotEmpty(t, ie.Reason)
		}
	}
	byInput := map[string]got{}
	for _, g := range out {
		byInput[g.ans.Input] = g
	}
	assert.Equal(t, "report of nasa", byInput["NASA"].ans.Value, "the duplicate gets the one result")
	var ie *creatorkit.ItemError
	require.ErrorAs(t, byInput["@NatGeo"].err, &ie)
	assert.Equal(t, "136", ie.ID)
	assert.Equal(t, "instagram/@natgeo", ie.Item)
	assert.Equal(t, "@NatGeo", ie.Input)
	assert.Equal(t, "natgeo", byInput["natgeo"].err.(*creatorkit.ItemError).Input, "each duplicate its own copy")
	_, _, succeeded, failed := b.Counts()
	assert.Equal(t, 2, succeeded)
	assert.Equal(t, 5, failed)
}

func TestFailRestAndStop(t *testing.T) {
	var out []got
	b, _ := New("v", "Op", []string{"a", "b", "c", "a"}, normalize, collect(&out))
	require.True(t, b.Done("b", "B", nil))
	spent := errors.New("budget spent")
	require.True(t, b.FailRest(func(k string) (string, error) { return "", spent }))
	assert.Len(t, out, 4)
	for _, g := range out {
		if g.ans.Input != "b" {
			assert.ErrorIs(t, g.err, spent)
			assert.Equal(t, "budget spent", g.err.(*creatorkit.ItemError).Reason)
		}
	}

	n := 0
	b, _ = New("v", "Op", []string{"a", "b", "a"}, normalize, func(creatorkit.Answer[string], error) bool { n++; return false })
	assert.False(t, b.Done("a", "A", nil), "the consumer stopped")
	assert.True(t, b.Stopped())
	assert.False(t, b.Done("b", "B", nil))
	assert.Equal(t, 1, n, "nothing is yielded after a stop")
}
