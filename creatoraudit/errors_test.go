package creatoraudit_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every documented code decodes into a typed code, message, request id and
// the right sentinel kind.
func TestProblemJSONDecodesEveryCode(t *testing.T) {
	t.Parallel()
	kinds := map[creatoraudit.Code]error{
		creatoraudit.CodeBadRequest:           creatoraudit.ErrInvalidParams,
		creatoraudit.CodeUnauthorized:         creatoraudit.ErrUnauthorized,
		creatoraudit.CodeForbidden:            creatoraudit.ErrForbidden,
		creatoraudit.CodeInsufficientScope:    creatoraudit.ErrForbidden,
		creatoraudit.CodeQuotaExceeded:        creatoraudit.ErrQuotaExceeded,
		creatoraudit.CodeNotFound:             creatoraudit.ErrNotFound,
		creatoraudit.CodeNotAcceptable:        creatoraudit.ErrInvalidParams,
		creatoraudit.CodeConflict:             creatoraudit.ErrConflict,
		creatoraudit.CodeUnsupportedMediaType: creatoraudit.ErrInvalidParams,
		creatoraudit.CodeValidationError:      creatoraudit.ErrInvalidParams,
		creatoraudit.CodeRateLimited:          creatoraudit.ErrRateLimited,
		creatoraudit.CodeInternalError:        creatoraudit.ErrServer,
		creatoraudit.CodeUpstreamError:        creatoraudit.ErrServer,
		creatoraudit.CodeServiceUnavailable:   creatoraudit.ErrServer,
	}
	require.Len(t, creatoraudit.Codes(), 14)
	require.Len(t, kinds, 14)
	for i, code := range creatoraudit.Codes() {
		t.Run(string(code), func(t *testing.T) {
			c, mt := newMockClient(t, creatoraudit.WithMaxRetries(0))
			name := "error_" + strconv.Itoa(code.Status()) + "_" + strings.ToLower(string(code)) + ".json"
			mt.RegisterResponder("GET", base+"/whoami", func(r *http.Request) (*http.Response, error) {
				resp, _ := reply(t, code.Status(), name)(r)
				if i%2 == 0 {
					resp.Header.Del("X-Request-ID") // the body's request_id is used then
				}
				return resp, nil
			})
			_, err := c.Meta.WhoAmI(ctx)
			require.Error(t, err)
			assert.ErrorIs(t, err, kinds[code])
			assert.Equal(t, code, creatoraudit.CodeOf(err))
			var e *creatoraudit.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, code.Status(), e.StatusCode)
			if i%2 == 0 {
				assert.True(t, strings.HasPrefix(e.RequestID, "8f1c2a4e-"), e.RequestID)
			} else {
				assert.Equal(t, "req-"+name, e.RequestID, "X-Request-ID wins")
			}
			p, ok := creatoraudit.ProblemOf(err)
			require.True(t, ok)
			assert.Equal(t, code, p.Code)
			assert.Contains(t, p.Type, "urn:creatoraudit:error:")
			assert.Contains(t, err.Error(), p.Detail)
		})
	}
}

func TestValidationErrorFields(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", base+"/accounts", reply(t, 422, "error_422_validation_error.json"))
	_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "x"})
	require.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
	assert.Equal(t, creatoraudit.CodeValidationError, creatoraudit.CodeOf(err))
	assert.Equal(t, []creatoraudit.FieldError{{Field: "platform", Message: "must be one of: instagram, tiktok"}, {Field: "username", Message: "is required"}}, creatoraudit.FieldErrors(err))
	assert.Contains(t, err.Error(), "platform: must be one of: instagram, tiktok")
	assert.Equal(t, 1, mt.GetTotalCallCount(), "a 422 is not retried")
	assert.Nil(t, creatoraudit.FieldErrors(nil))
}

func TestQuotaExceededIsNotRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		mt.RegisterResponder("POST", base+"/accounts", reply(t, 403, "error_403_quota_exceeded.json"))
		_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "x"})
		require.ErrorIs(t, err, creatoraudit.ErrQuotaExceeded)
		assert.NotErrorIs(t, err, creatoraudit.ErrOutcomeUnknown)
		assert.Equal(t, 1, mt.GetTotalCallCount())
		var e *creatoraudit.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 403, e.StatusCode, "it comes as a 403")
		assert.Equal(t, []error{creatoraudit.ErrQuotaExceeded}, e.Kinds, "its only kind")
	})
}

// A spent tracking quota is ErrQuotaExceeded only: a switch that tests
// ErrForbidden first (as a caller handling 403s would) still sees the
// quota. Before, QUOTA_EXCEEDED also matched ErrForbidden and the
// Forbidden branch hid it.
func TestQuotaExceededIsNotForbidden(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, creatoraudit.WithMaxRetries(0))
	mt.RegisterResponder("POST", base+"/accounts", reply(t, 403, "error_403_quota_exceeded.json"))
	mt.RegisterResponder("POST", base+"/creators", reply(t, 403, "error_403_forbidden.json"))
	mt.RegisterResponder("PATCH", `=~^`+base+`/creators/`, reply(t, 403, "error_403_insufficient_scope.json"))
	classify := func(err error) string {
		switch {
		case errors.Is(err, creatoraudit.ErrForbidden):
			return "forbidden"
		case errors.Is(err, creatoraudit.ErrQuotaExceeded):
			return "quota"
		}
		return "other"
	}
	_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "x"})
	assert.Equal(t, "quota", classify(err), "%v", err)
	assert.NotErrorIs(t, err, creatoraudit.ErrForbidden)
	assert.Equal(t, creatoraudit.CodeQuotaExceeded, creatoraudit.CodeOf(err))

	_, err = c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "x"})
	assert.Equal(t, "forbidden", classify(err), "FORBIDDEN stays ErrForbidden: %v", err)
	assert.NotErrorIs(t, err, creatoraudit.ErrQuotaExceeded)
	_, err = c.Creators.Update(ctx, "9b2e4d10-7a3c-4f8e-b1d2-0c5a6e7f8091", creatoraudit.UpdateCreatorParams{Name: creatoraudit.String("y")})
	assert.Equal(t, "forbidden", classify(err), "INSUFFICIENT_SCOPE stays ErrForbidden: %v", err)
}

func TestRateLimitedAndUnavailableAreRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", base+"/overview", httpmock.ResponderFromMultipleResponses([]*http.Response{
			problemResponse(t, 429, "error_429_rate_limited.json", "0.001"),
			problemResponse(t, 503, "error_503_service_unavailable.json", "0.001"),
			httpmock.NewBytesResponse(200, loadFixture(t, "overview.json")),
		}))
		o, err := c.Overview.Get(ctx, creatoraudit.OverviewParams{})
		require.NoError(t, err)
		assert.Equal(t, 3, o.Response.Attempts)

		mt.RegisterResponder("GET", base+"/whoami", reply(t, 401, "error_401_unauthorized.json"))
		_, err = c.Meta.WhoAmI(ctx)
		require.ErrorIs(t, err, creatoraudit.ErrUnauthorized)
		assert.Equal(t, 1, mt.GetCallCountInfo()["GET "+base+"/whoami"], "a 401 is not retried")
	})
}

func TestNonProblemBodies(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, creatoraudit.WithMaxRetries(0))
	mt.RegisterResponder("GET", base+"/whoami", httpmock.NewStringResponder(406, "<html>not acceptable</html>"))
	_, err := c.Meta.WhoAmI(ctx)
	require.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
	assert.Equal(t, creatoraudit.Code(""), creatoraudit.CodeOf(err))
	_, ok := creatoraudit.ProblemOf(err)
	assert.False(t, ok)
	assert.Equal(t, 0, creatoraudit.Code("NOPE").Status())
}

func problemResponse(t *testing.T, status int, name, retryAfter string) *http.Response {
	resp := httpmock.NewBytesResponse(status, loadFixture(t, name))
	resp.Header.Set("Content-Type", "application/problem+json")
	resp.Header.Set("Retry-After", retryAfter)
	return resp
}
