package firstparty_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// driftSpec builds a fixture.DriftSpec for one call of the real client on
// an httpmock transport serving each mutated body. run makes the call and
// returns its result and the metadata that carries the DecodeIssues;
// answer says which errors still come with the decoded answer (a refused
// verification, failed insights) rather than a failed call. controlPaths
// are the JSON paths of the control fields ("$" for the whole body): only
// there may a mutation fail the call, and only with ErrUnexpectedResponse
// or the call's own answer error.
func driftSpec(t *testing.T, name, method, url string, fix []byte, controlPaths []string,
	run func(c *firstparty.Client) (any, *firstparty.ResponseMeta, error), answer func(error) bool) fixture.DriftSpec {
	c, mt := newMockClient(t)
	var sb vendortest.ServedBody
	mt.RegisterResponder(method, url, sb.Responder)
	return fixture.DriftSpec{
		Name:    name,
		Fixture: fix,
		Call:    vendortest.DriftCall(&sb, func() (any, *firstparty.ResponseMeta, error) { return run(c) }, answer),
		Control: func(m fixture.Mutation, err error) bool {
			refused := errors.Is(err, firstparty.ErrUnexpectedResponse) || (answer != nil && answer(err))
			return refused && slices.Contains(controlPaths, m.Path)
		},
		Skip: zeroAsString,
	}
}

// zeroAsString skips one mutation kind the harness cannot judge: a 0 sent
// as "0". Float and Int take numeric strings (TestNumbersSentAsStrings), so
// the call decodes the same 0, but the harness counts a re-encoded 0 as an
// empty, lost value. Every other number sent as a string is run.
func zeroAsString(m fixture.Mutation) string {
	if m.Kind != fixture.NumberAsString {
		return ""
	}
	if v, ok := valueAt(m.Body, m.Path).(string); ok {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f == 0 {
			return `0 sent as "0" decodes to the same 0`
		}
	}
	return ""
}

// arrayIndex is an array step of a fixture path.
var arrayIndex = regexp.MustCompile(`\[\d+\]`)

// onePerShape samples a sweep: of the mutations skip leaves in, it keeps
// the first of each kind at each field of the document's shape (array
// indexes read as [*]), since the same change at the same field of the
// next array element (the next post, the next day of a trend) runs the
// same decoding. The sample keeps every field and every kind of change
// (for the Instagram sample, 376 of 1,620 mutations) and runs in a
// quarter of the time.
func onePerShape(ms []fixture.Mutation, skip func(fixture.Mutation) string) func(fixture.Mutation) string {
	keep := map[string]bool{}
	seen := map[string]bool{}
	for _, m := range ms {
		if skip != nil && skip(m) != "" {
			continue
		}
		if shape := m.Kind + " " + arrayIndex.ReplaceAllString(m.Path, "[*]"); !seen[shape] {
			seen[shape] = true
			keep[m.Kind+" "+m.Path] = true
		}
	}
	return func(m fixture.Mutation) string {
		if skip != nil {
			if why := skip(m); why != "" {
				return why
			}
		}
		if !keep[m.Kind+" "+m.Path] {
			return "sampled out: the same change was run at the same field of another array element"
		}
		return ""
	}
}

var pathStep = regexp.MustCompile(`^(?:\.?([^.\[]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])`)

// valueAt returns the value at a fixture path ("a.b[3]", `a["k.1"]`) of a
// JSON document, or nil.
func valueAt(doc []byte, path string) any {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return nil
	}
	for p := path; p != "" && p != "$"; {
		m := pathStep.FindStringSubmatch(p)
		if m == nil {
			return nil
		}
		p = p[len(m[0]):]
		switch {
		case m[2] != "":
			a, _ := v.([]any)
			i, _ := strconv.Atoi(m[2])
			if i >= len(a) {
				return nil
			}
			v = a[i]
		default:
			k := m[1]
			if m[3] != "" {
				k, _ = strconv.Unquote(m[3])
			}
			o, _ := v.(map[string]any)
			v = o[k]
		}
	}
	return v
}

// Insights.Get on the full sample with each field changed once: every call
// survives (no control field in a ready body), untouched values keep
// their values, and every value that did not fit is in DecodeIssues.
func TestDriftInsightsGet(t *testing.T) {
	t.Parallel()
	if raceEnabled {
		// 1,600 decodes of the 30 KB sample on one goroutine: minutes under
		// the race detector, which has nothing to find here. The plain run
		// covers it.
		t.Skip("single-goroutine decoding; run without -race")
	}
	spec := driftSpec(t, "Insights.Get", "GET", insightBase+"/insights/creators/c1", load(t, "insights_instagram.json"), nil,
		func(c *firstparty.Client) (any, *firstparty.ResponseMeta, error) {
			in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
			if in == nil {
				return nil, nil, err
			}
			return in, in.Response, err
		}, nil)
	all := fixture.Mutations(spec.Fixture)
	perShape := onePerShape(all, zeroAsString)
	spec.Skip = func(m fixture.Mutation) string {
		if why := perShape(m); why != "" {
			return why
		}
		if !vendortest.Sampled(m.Kind+" "+m.Path, 4) {
			return "sampled out: one change in four runs unless " + vendortest.FullEnv + " is set"
		}
		return ""
	}
	r := fixture.Drift(spec)
	fixture.RequireDrift(t, r)
	assert.Zero(t, r.Control, "a ready body has no control field")
	assert.Equal(t, r.Mutations, r.Survived)
	assert.Equal(t, r.Unknown, r.UnknownSurvived)
	zeros, sampled := 0, 0
	for _, m := range all {
		switch {
		case zeroAsString(m) != "":
			zeros++
		case spec.Skip(m) != "":
			sampled++
		}
	}
	t.Logf("left out: %d zeros sent as \"0\" (they decode to the same 0), %d sampled out (one change of each kind per field of the shape runs, and one in four of those unless "+vendortest.FullEnv+" is set)", zeros, sampled)

	// The unknown members the harness added inside the maps keyed by date
	// (the growth trends) survived above; each is also reported.
	trendDays := 0
	for _, m := range all {
		if m.Kind != fixture.UnknownMember || !strings.Contains(m.Path, "_trends[") || spec.Skip(m) != "" {
			continue
		}
		trendDays++
		_, issues, err := spec.Call(m.Body)
		require.NoError(t, err, m.Path)
		assert.True(t, slices.ContainsFunc(issues, func(is firstparty.DecodeIssue) bool { return strings.HasPrefix(is.Path, m.Path+".") }),
			"an unknown member inside %s is reported: %v", m.Path, issues)
	}
	assert.Positive(t, trendDays)
	t.Logf("unknown members inside the maps keyed by date: %d survived and reported", trendDays)
}

// The answers Insights.Get gives before the insights are ready, and when
// they failed (the SDK's ASSUMED shapes, as the fake serves them): status
// is a control field.
func TestDriftInsightsNotReadyAndFailed(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"creator_id":"c1","status":"processing"}`,
		`{"creator_id":"c1","status":"failed","status_reason":"Private Account"}`,
	} {
		spec := driftSpec(t, "Insights.Get", "GET", insightBase+"/insights/creators/c1", []byte(body), []string{"status"},
			func(c *firstparty.Client) (any, *firstparty.ResponseMeta, error) {
				in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
				if in == nil {
					return nil, nil, err
				}
				return in, in.Response, err
			}, func(err error) bool { return errors.Is(err, firstparty.ErrInsightsFailed) })
		r := fixture.Drift(spec)
		fixture.RequireDrift(t, r)
		assert.Positive(t, r.Control, "a status that does not fit is refused")
	}
}

// Verify Creator's answers: the published success and the (inferred)
// failure. state, status and creator_id are control fields; a refused
// verification is an answer (the decoded body with a
// *VerificationError).
func TestDriftVerify(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"verify_creator.json", "verify_creator_failed.json"} {
		t.Run(file, func(t *testing.T) {
			spec := driftSpec(t, "Verification.Verify", "POST", verifyBase+"/first_party/verify", load(t, file), []string{"$", "state", "status", "creator_id"},
				func(c *firstparty.Client) (any, *firstparty.ResponseMeta, error) {
					v, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "unique-string", Token: "t"})
					if v == nil {
						return nil, nil, err
					}
					return v, v.Response, err
				}, func(err error) bool { return errors.Is(err, firstparty.ErrVerificationFailed) })
			r := fixture.Drift(spec)
			fixture.RequireDrift(t, r)
			assert.Positive(t, r.Control)
			assert.Equal(t, r.Unknown, r.UnknownSurvived)
		})
	}
}

// Create Verification URL's answer. The published copy's redirectUrl is
// blank (the page lost it), which the SDK refuses for a browser redirect,
// so the drift starts from the same answer with a connect URL filled in.
// Both members are control fields: only unknown members can survive, and
// they must.
func TestDriftCreateURL(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(load(t, "create_verification_url.json"), &doc))
	require.Contains(t, doc, "redirectUrl")
	doc["redirectUrl"] = "https://connect.ylytic.com/c/abc123"
	spec := driftSpec(t, "Verification.CreateURL", "POST", verifyBase+"/first_party/verification_url", mustJSON(t, doc), []string{"$", "redirectUrl", "state"},
		func(c *firstparty.Client) (any, *firstparty.ResponseMeta, error) {
			v, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://app.example.com/cb", State: "unique-string"})
			if v == nil {
				return nil, nil, err
			}
			return v, v.Response, err
		}, nil)
	r := fixture.Drift(spec)
	fixture.RequireDrift(t, r)
	assert.Equal(t, r.Unknown, r.UnknownSurvived)
	assert.Positive(t, r.Unknown)
}

// The webhook events, through ParseWebhookBody: type, status and state are
// control fields (the delivery is refused with ErrWebhook), anything else
// survives and is reported.
func TestDriftWebhookEvents(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"webhook_creator_insights_1p_success.json", "webhook_creator_insights_1p_failed.json"} {
		t.Run(file, func(t *testing.T) {
			r := fixture.Drift(fixture.DriftSpec{
				Name:    "ParseWebhookBody",
				Fixture: load(t, file),
				Call: func(body []byte) ([]byte, []firstparty.DecodeIssue, error) {
					ev, err := firstparty.ParseWebhookBody(body)
					if err != nil {
						return nil, nil, err
					}
					out, err := json.Marshal(ev)
					return out, ev.DecodeIssues, err
				},
				Control: func(m fixture.Mutation, err error) bool {
					return errors.Is(err, firstparty.ErrWebhook) && slices.Contains([]string{"$", "type", "status", "state"}, m.Path)
				},
			})
			fixture.RequireDrift(t, r)
			assert.Positive(t, r.Control)
			assert.Equal(t, r.Unknown, r.UnknownSurvived)
		})
	}
}
