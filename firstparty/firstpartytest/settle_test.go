package firstpartytest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every verified creator's webhook goes out once, when its insights are
// due, however many creators there are.
func TestEveryCreatorsWebhookGoesOutOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var states []string
		srv := firstpartytest.NewServer(firstpartytest.WithVirtualTime(), firstpartytest.WithInsightsDelay(0))
		srv.SetWebhookURL(srv.ServeWebhooks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			var ev struct{ State string }
			_ = json.Unmarshal(b, &ev)
			mu.Lock()
			states = append(states, ev.State)
			mu.Unlock()
		})))
		var want []string
		var last string
		for i := 0; i < 40; i++ {
			st := fmt.Sprintf("state-%02d", i)
			want = append(want, st)
			last = flow(t, srv, st)
		}
		// Reading insights settles every creator due by now (all of them: the
		// delay is 0), whether or not their timers have fired.
		path := firstpartytest.APIPrefix + "/" + strings.ReplaceAll(firstparty.DefaultPaths().Insights, "{creator_id}", last)
		rec := faketest.Serve(srv.Handler(), "GET", path, nil, "Authorization", "Bearer "+srv.Token)
		require.Equal(t, 200, rec.Code)
		srv.Close() // waits for the deliveries
		require.Len(t, srv.Deliveries(), 40)
		sort.Strings(states)
		assert.Equal(t, want, states)
	})
}
