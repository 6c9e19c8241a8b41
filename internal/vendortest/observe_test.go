package vendortest

import (
	"context"
	"testing"

	"github.com/creatorkit/creatorkit-go"
	"github.com/stretchr/testify/assert"
)

// A wait that makes a call of its own: each event is kept in order, under
// the call whose context it came with.
func TestRecorderKeepsEveryEventUnderItsCall(t *testing.T) {
	r := &Recorder{}
	ctx := context.Background()
	wctx := r.StartCall(ctx, creatorkit.CallInfo{Operation: "Wait"})
	gctx := r.StartCall(wctx, creatorkit.CallInfo{Operation: "Get", Method: "GET", Route: "x/{id}"})
	r.EndAttempt(gctx, creatorkit.AttemptEvent{CallInfo: creatorkit.CallInfo{Operation: "Get", Route: "x/{id}"}, Attempt: 1})
	r.EndCall(gctx, creatorkit.CallEvent{CallInfo: creatorkit.CallInfo{Operation: "Get"}, Attempts: 1})
	r.EndCall(wctx, creatorkit.CallEvent{CallInfo: creatorkit.CallInfo{Operation: "Wait"}, Polls: 1})

	assert.Equal(t, []Start{{ID: 1, Info: creatorkit.CallInfo{Operation: "Wait"}},
		{ID: 2, Parent: 1, ParentOp: "Wait", Info: creatorkit.CallInfo{Operation: "Get", Method: "GET", Route: "x/{id}"}}}, r.Started())
	assert.Len(t, r.Starts(), 2)
	assert.Len(t, r.Attempts(), 1)
	assert.Len(t, r.Ends(), 2)
	assert.Len(t, r.Events(), 5)
	assert.Equal(t, 1, r.Calls("Wait")[0].Polls)
	assert.Equal(t, 2, r.StartsOf("Get")[0].ID)
	assert.Equal(t, map[int]string{1: "Wait", 2: "Get"}, map[int]string{1: r.EndsByID()[1].Operation, 2: r.EndsByID()[2].Operation})
	in := r.EndsIn()
	assert.Equal(t, []string{"Wait", ""}, []string{in[0].ParentOp, in[1].ParentOp})
	assert.Contains(t, r.Texts(), "x/{id}")
}
