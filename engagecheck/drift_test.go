package engagecheck_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"testing"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
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

func TestDriftMainReads(t *testing.T) {
	t.Parallel()
	const (
		auditControl = `\$|id|status`
		listControl  = `\$|data|data\[\d+\]|data\[\d+\]\.(id|username|status|created_at)`
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
		{Name: "Audits.List", Fixture: fixture.Load(t, "audits_list.json"), Control: controlAt(listControl),
			Call: func(body []byte) ([]byte, []jsonx.Issue, error) {
				l, err := driftClient(t, "GET", "/audits", 200, body).Audits.List(ctx, engagecheck.ListAuditsParams{})
				if err != nil {
					return reencode(nil, nil, err)
				}
				return reencode(l, l.Response, nil)
			}},
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
				return reencode(ev, ev.Response, nil)
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
