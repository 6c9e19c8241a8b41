package engagecheck_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// driftClient serves body to one call; the recent-audits list (which an
// unreadable submit answer is reconciled against) is empty.
func driftClient(t *testing.T, method, path string, status int, body []byte) *engagecheck.Client {
	c, mt := newMockClient(t)
	mt.RegisterResponder(method, base+path, func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	if path != "/audits" {
		mt.RegisterResponder("GET", base+"/audits", httpmock.NewStringResponder(200, `{"data":[],"count":0,"limit":100,"offset":0}`))
	}
	return c
}

// reencode returns a result as JSON with its decode issues.
func reencode(v any, meta *engagecheck.ResponseMeta, err error) ([]byte, []jsonx.Issue, error) {
	if err != nil {
		return nil, nil, err
	}
	out, merr := json.Marshal(v)
	if merr != nil {
		return nil, nil, merr
	}
	return out, meta.DecodeIssues, nil
}

// controlAt builds a DriftSpec.Control: the call failed with
// ErrUnexpectedResponse on a mutation at one of the control paths (a
// regexp over LostLeaves paths; "$" is the answer itself).
func controlAt(paths string) func(fixture.Mutation, error) bool {
	re := regexp.MustCompile(`^(?:` + paths + `)$`)
	return func(m fixture.Mutation, err error) bool {
		return errors.Is(err, engagecheck.ErrUnexpectedResponse) && re.MatchString(m.Path)
	}
}

// TestDriftMainReads: every main read survives every single-field change
// of its fixture outside its control fields, with its other values
// intact. The recent-audits list has its own test (a bad row costs only
// that row): TestDriftListRowsCostOnlyTheRow.
func TestDriftMainReads(t *testing.T) {
	t.Parallel()
	const (
		auditControl = `\$|id|status`
		batchControl = `\$|credits_remaining|results|results\[\d+\]|results\[\d+\]\.(id|username|status)`
	)
	get := func(file string) fixture.DriftSpec {
		return fixture.DriftSpec{Name: "Audits.Get " + file, Fixture: fixture.Load(t, file), Control: controlAt(auditControl),
			Call: func(body []byte) ([]byte, []jsonx.Issue, error) {
				a, err := driftClient(t, "GET", "/audits/142", 200, body).Audits.Get(ctx, 142)
				if err != nil {
					return reencode(nil, nil, err)
				}
				return reencode(a, a.Response, nil)
			}}
	}
	create := func(file string, status int) fixture.DriftSpec {
		return fixture.DriftSpec{Name: "Audits.Create " + file, Fixture: fixture.Load(t, file), Control: controlAt(auditControl),
			Call: func(body []byte) ([]byte, []jsonx.Issue, error) {
				a, err := driftClient(t, "POST", "/audits", status, body).Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
				if err != nil {
					return reencode(nil, nil, err)
				}
				return reencode(a, a.Response, nil)
			}}
	}
	specs := []fixture.DriftSpec{
		get("audit_complete.json"),
		get("audit_analyzing.json"),
		{Name: "Credits.Get", Fixture: fixture.Load(t, "credits.json"), Control: controlAt(`\$|credits_remaining`),
			Call: func(body []byte) ([]byte, []jsonx.Issue, error) {
				cr, err := driftClient(t, "GET", "/credits", 200, body).Credits.Get(ctx)
				if err != nil {
					return reencode(nil, nil, err)
				}
				return reencode(cr, cr.Response, nil)
			}},
		create("audit_created.json", 202),
		create("audit_complete_inline.json", 200),
		{Name: "Audits.CreateBatch", Fixture: fixture.Load(t, "batch_accepted.json"), Control: controlAt(batchControl),
			Call: func(body []byte) ([]byte, []jsonx.Issue, error) {
				b, err := driftClient(t, "POST", "/audits/batch", 202, body).Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "nasa"}})
				if err != nil {
					return reencode(nil, nil, err)
				}
				return reencode(b, b.Response, nil)
			}},
	}
	for _, file := range []string{"webhook_audit_completed.json", "webhook_audit_failed.json"} {
		specs = append(specs, fixture.DriftSpec{Name: "ParseWebhookBody " + file, Fixture: fixture.Load(t, file),
			Control: func(m fixture.Mutation, err error) bool {
				return errors.Is(err, engagecheck.ErrWebhook) && regexp.MustCompile(`^(\$|event|id)$`).MatchString(m.Path)
			},
			Call: func(body []byte) ([]byte, []jsonx.Issue, error) {
				ev, err := engagecheck.ParseWebhookBody(body)
				if err != nil {
					return reencode(nil, nil, err)
				}
				return reencode(ev, &engagecheck.ResponseMeta{DecodeIssues: ev.DecodeIssues}, nil)
			}})
	}
	for _, spec := range specs {
		t.Run(spec.Name, func(t *testing.T) {
			r := fixture.Drift(spec)
			fixture.RequireDrift(t, r)
			assert.Equal(t, r.Mutations-r.Control, r.Survived, "every mutation outside control fields survives")
			assert.Equal(t, r.Unknown, r.UnknownSurvived, "unknown members: 100%")
		})
	}
}

// listPage is a page of n rows in the published row's shape, newest
// first, the statuses and values a real page mixes: complete rows with
// their score and verdict, failed ones with their error_message, running
// ones without either.
func listPage(n int) []byte {
	var rows []string
	for i := range n {
		id := 500 - i
		switch i % 3 {
		case 0:
			rows = append(rows, fmt.Sprintf(`{"id":%d,"username":"creator_%02d","status":"complete","aqs":%d,"verdict":"green","created_at":"2026-06-25 17:%02d:00","completed_at":"2026-06-25 17:%02d:38"}`, id, i, 60+i, 59-i, 59-i))
		case 1:
			rows = append(rows, fmt.Sprintf(`{"id":%d,"username":"private_%02d","status":"error","error_message":"Account is private.","created_at":"2026-06-25 17:%02d:00","completed_at":"2026-06-25 17:%02d:09"}`, id, i, 59-i, 59-i))
		default:
			rows = append(rows, fmt.Sprintf(`{"id":%d,"username":"creator_%02d","status":"analyzing","created_at":"2026-06-25 17:%02d:00"}`, id, i, 59-i))
		}
	}
	return []byte(fmt.Sprintf(`{"data":[%s],"count":%d,"limit":25,"offset":0}`, strings.Join(rows, ","), n))
}

// A bad row costs only that row (issue 19): every single-field change of
// a list page, on the published page and on a page of 25 rows (the API's
// default), leaves List with a page, except when the answer or its data
// is null (no page at all: the only control fields left). A change that
// makes a row unusable (the row null, or its id, username, status or
// created_at null or of another type) costs that row alone: List leaves
// it out of Data with its path in Response.DecodeIssues, ListAll yields
// what could be read of it, in its place, with an *ItemError, and every
// other row comes back intact. The call re-encodes List's page with
// ListAll's rows in place, so the harness compares row by row.
func TestDriftListRowsCostOnlyTheRow(t *testing.T) {
	t.Parallel()
	total, survived := 0, 0
	for name, page := range map[string][]byte{"published page": fixture.Load(t, "audits_list.json"), "page of 25": listPage(25)} {
		skips := 0
		// One client for the sweep (Drift calls one mutation at a time),
		// its answer swapped per call.
		var body []byte
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", base+"/audits", func(*http.Request) (*http.Response, error) {
			return httpmock.NewBytesResponse(200, body), nil
		})
		var skip func(fixture.Mutation) string
		if name == "page of 25" {
			// 25 rows of one shape: a quarter of the row changes by
			// default, every one with CREATORKIT_FULL_TESTS (CI).
			skip = func(m fixture.Mutation) string {
				if !strings.HasPrefix(m.Path, "data[") || vendortest.Sampled(m.Kind+" "+m.Path, 4) {
					return ""
				}
				return "sampled out"
			}
		}
		r := fixture.Drift(fixture.DriftSpec{Name: "Audits.List", Fixture: page, Control: controlAt(`\$|data`), Skip: skip,
			Call: func(b []byte) ([]byte, []jsonx.Issue, error) {
				body = b
				l, err := c.Audits.List(ctx, engagecheck.ListAuditsParams{})
				if err != nil {
					return reencode(nil, nil, err)
				}
				var rows []engagecheck.AuditSummary
				bad := 0
				for row, err := range c.Audits.ListAll(ctx, engagecheck.ListAuditsParams{}) {
					var ie *engagecheck.ItemError
					switch {
					case err == nil:
					case errors.As(err, &ie) && errors.Is(err, engagecheck.ErrUnexpectedResponse) && ie.Reason != "":
						bad++
					default:
						return reencode(nil, nil, err)
					}
					rows = append(rows, row)
				}
				if bad > 1 || len(rows) != bad+len(l.Data) {
					return nil, nil, fmt.Errorf("%d rows skipped, %d rows in all, %d usable", bad, len(rows), len(l.Data))
				}
				skips += bad
				out := *l
				out.Data = rows
				return reencode(out, l.Response, nil)
			}})
		fixture.RequireDrift(t, r)
		assert.Equal(t, r.Mutations-r.Control, r.Survived, "%s: every mutation outside the page's own shape survives", name)
		assert.Equal(t, 2, r.Control, "%s: only a null answer or a null data", name)
		assert.Equal(t, r.Unknown, r.UnknownSurvived, "%s: unknown members: 100%%", name)
		assert.Positive(t, skips)
		t.Logf("%s: %d of %d mutations made a row unusable; it alone was skipped", name, skips, r.Mutations)
		total, survived = total+r.Mutations, survived+r.Survived
	}
	t.Logf("single-field drift of a list page: %d/%d calls survived (%.1f%%)", survived, total, 100*float64(survived)/float64(total))
}

// A control field that does not fit fails the call with
// ErrUnexpectedResponse after one request; any other value is left zero
// and reported, also after one request; WithStrictDecoding refuses both.
func TestControlFieldsAndStrictDecoding(t *testing.T) {
	t.Parallel()
	body := func(aqs, status string) []byte {
		return []byte(`{"id":142,"username":"natgeo","status":` + status + `,"aqs":` + aqs + `,"verdict":"green"}`)
	}
	cases := []struct {
		name   string
		body   []byte
		strict bool
		kind   error
	}{
		{"aqs as a string: tolerated", body(`"88"`, `"complete"`), false, nil},
		{"aqs as a string: strict", body(`"88"`, `"complete"`), true, engagecheck.ErrUnexpectedResponse},
		{"status as a number: control", body(`88`, `7`), false, engagecheck.ErrUnexpectedResponse},
		{"an array answer: control", []byte(`[1,2]`), false, engagecheck.ErrUnexpectedResponse},
		{"a null answer: control", []byte(`null`), false, engagecheck.ErrUnexpectedResponse},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var opts []engagecheck.Option
			if tc.strict {
				opts = append(opts, engagecheck.WithStrictDecoding())
			}
			c, mt := newMockClient(t, opts...)
			mt.RegisterResponder("GET", base+"/audits/142", httpmock.NewBytesResponder(200, tc.body))
			a, err := c.Audits.Get(ctx, 142)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "a body with a bad field costs exactly one request")
			if tc.kind != nil {
				require.ErrorIs(t, err, tc.kind)
				assert.False(t, err.(interface{ Temporary() bool }).Temporary(), "not worth asking again")
				return
			}
			require.NoError(t, err)
			assert.Nil(t, a.AQS)
			assert.Equal(t, engagecheck.StatusComplete, a.Status)
			require.Len(t, a.Response.DecodeIssues, 1)
			assert.Equal(t, "aqs", a.Response.DecodeIssues[0].Path)
		})
	}
}

// A batch answer whose rows cannot be read spent credits all the same: the
// SDK recovers the rows from the recent-audits list instead of failing the
// handles or resending them.
func TestUnreadableBatchAnswerIsReconciled(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]string{
		"results is an object": `{"results":{"natgeo":143},"credits_remaining":247,"webhook_url":null}`,
		"a row id is null":     `{"results":[{"id":null,"username":"natgeo","status":"pending"},{"id":144,"username":"nasa","status":"pending"}],"credits_remaining":247}`,
		"a row status drifted": `{"results":[{"id":143,"username":"natgeo","status":{"value":"pending"}},{"id":144,"username":"nasa","status":"pending"}],"credits_remaining":247}`,
		"no rows":              `{"credits_remaining":247}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder("POST", base+"/audits/batch", httpmock.NewStringResponder(202, answer))
			mt.RegisterResponder("GET", base+"/audits", httpmock.NewStringResponder(200, `{"data":[
				{"id":144,"username":"nasa","status":"pending","created_at":"`+nowUTC()+`"},
				{"id":143,"username":"natgeo","status":"pending","created_at":"`+nowUTC()+`"}],"count":2,"limit":100,"offset":0}`))
			b, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "nasa"}})
			require.NoError(t, err)
			assert.True(t, b.Reconciled)
			assert.ElementsMatch(t, []engagecheck.BatchRow{
				{ID: 143, Username: "natgeo", Status: engagecheck.StatusPending, PollURL: "/api/v1/audits/143"},
				{ID: 144, Username: "nasa", Status: engagecheck.StatusPending, PollURL: "/api/v1/audits/144"},
			}, b.Results)
			info := mt.GetCallCountInfo()
			assert.Equal(t, 1, info["POST "+base+"/audits/batch"], "never resent")
		})
	}
}
