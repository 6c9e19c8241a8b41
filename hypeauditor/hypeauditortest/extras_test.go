package hypeauditortest_test

import (
	"encoding/json"
	"net/url"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The wire answers of the routes added beside the reports: a PDF export
// answers 202 with retryTtl and then pdfUrl, charging the unlock once; a
// market analysis answers {"report": ...} without a result wrapper and
// needs no v; the lists answer 404 code 16 for an unknown list.
func TestExtraRoutesOnTheWire(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime(), hypeauditortest.WithRateLimit(0, 0))
		defer srv.Close()
		serve := func(method, path string, q url.Values, body string) (int, map[string]any) {
			target := path
			if q != nil {
				target += "?" + q.Encode()
			}
			var b []byte
			if body != "" {
				b = []byte(body)
			}
			rec := faketest.Serve(srv.Handler(), method, target, b, "X-Auth-Id", srv.ClientID, "X-Auth-Token", srv.Token)
			var out map[string]any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
			return rec.Code, out
		}
		method := func(route string, q url.Values) (int, map[string]any) {
			q.Set("v", "2")
			return serve("GET", "/api/method/"+route, q, "")
		}

		code, out := method(hypeauditortest.RouteTwitchPDF, url.Values{"channel": {"nasa"}})
		assert.Equal(t, 202, code)
		assert.Contains(t, out["result"], "retryTtl")
		assert.Equal(t, 999, srv.Credits())
		// The report takes 90 s; the PDF, 20 s from the first request
		// after that.
		time.Sleep(90 * time.Second)
		code, _ = method(hypeauditortest.RouteTwitchPDF, url.Values{"channel": {"nasa"}})
		assert.Equal(t, 202, code, "the report is ready, the PDF starts")
		time.Sleep(20*time.Second - time.Nanosecond)
		code, _ = method(hypeauditortest.RouteTwitchPDF, url.Values{"channel": {"nasa"}})
		assert.Equal(t, 202, code, "a nanosecond before the PDF is made")
		time.Sleep(time.Nanosecond)
		code, out = method(hypeauditortest.RouteTwitchPDF, url.Values{"channel": {"nasa"}})
		require.Equal(t, 200, code)
		assert.Contains(t, out["result"].(map[string]any)["pdfUrl"], "/pdf/twitch/")
		assert.Equal(t, 999, srv.Credits(), "asking again is free")

		code, out = serve("POST", "/api/marketanalysis/instagramCompetitorAnalysis", nil, `{"username":"gucci","date_from":"2022-08-14","date_to":"2022-09-13"}`)
		require.Equal(t, 200, code)
		assert.NotContains(t, out, "result")
		basic := out["report"].(map[string]any)["basic"].(map[string]any)
		assert.Equal(t, 0.0, basic["state"])
		id := basic["report_id"].(string)
		state := func() any {
			_, out = serve("GET", "/api/marketanalysis/instagramCompetitorAnalysis/"+id, nil, "")
			return out["report"].(map[string]any)["basic"].(map[string]any)["state"]
		}
		time.Sleep(120*time.Second - time.Nanosecond)
		assert.Equal(t, 0.0, state(), "a nanosecond before the analysis is ready")
		time.Sleep(time.Nanosecond)
		assert.Equal(t, 10.0, state(), "ready after its 120 s")
		code, _ = serve("POST", "/api/marketanalysis/instagramCompetitorAnalysis", nil, `{"username":"gucci"}`)
		assert.Equal(t, 400, code, "dates are required")
		assert.Zero(t, srv.MissingVersion(), "market analysis calls carry no v and are not counted")

		code, out = method(hypeauditortest.RouteList, url.Values{"id": {"999"}})
		assert.Equal(t, 404, code)
		assert.Equal(t, 16.0, out["error"].(map[string]any)["code"])
		code, _ = method(hypeauditortest.RouteTaxonomy, url.Values{})
		assert.Equal(t, 200, code)
	})
}
