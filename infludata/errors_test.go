package infludata_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func getAdidas(ctx context.Context, c *infludata.Client) error {
	_, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas", IncludeAudienceReport: true})
	return err
}

func TestErrorBodies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		status  int
		fixture string
		kinds   []error
		not     []error
		code    string
		message string
		details string
		resetAt time.Time
		calls   int
	}{
		{"400 string", 400, "error_400.json", []error{infludata.ErrInvalidParams}, nil, "", "Invalid or missing platform parameter", "", time.Time{}, 1},
		{"401", 401, "error_401.json", []error{infludata.ErrUnauthorized}, nil, "", "Unauthorized: invalid, missing or expired API key", "", time.Time{}, 1},
		{"403 INSUFFICIENT_TOKENS object", 403, "error_403_insufficient_tokens.json", []error{infludata.ErrQuotaExceeded}, []error{infludata.ErrForbidden},
			"INSUFFICIENT_TOKENS", "...", `{"required":20,"available":5}`, time.Time{}, 1},
		{"403 insufficient balance string", 403, "error_403_insufficient_balance.json", []error{infludata.ErrQuotaExceeded}, []error{infludata.ErrForbidden}, "", "Insufficient request balance", "", time.Time{}, 1},
		{"403 feature not enabled", 403, "error_403_not_enabled.json", []error{infludata.ErrForbidden}, []error{infludata.ErrQuotaExceeded}, "", "Audience reports are not enabled for this key", "", time.Time{}, 1},
		{"404", 404, "error_404.json", []error{infludata.ErrNotFound}, nil, "", "Creator not found on the platform", "", time.Time{}, 1},
		{"429 with resetDate is quota, never retried", 429, "error_429_quota.json", []error{infludata.ErrQuotaExceeded}, []error{infludata.ErrRateLimited},
			"", "Monthly request limit exceeded", "", time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), 1},
		{"429 resetDate inside the error object", 429, `{"error":{"code":"MONTHLY_LIMIT","message":"spent","details":{"resetDate":"2026-08-01"}}}`,
			[]error{infludata.ErrQuotaExceeded}, nil, "MONTHLY_LIMIT", "spent", `{"resetDate":"2026-08-01"}`, time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), 1},
		{"burst 429 is retried, then rate limited", 429, "error_429_burst.json", []error{infludata.ErrRateLimited}, []error{infludata.ErrQuotaExceeded}, "", "Rate limit exceeded", "", time.Time{}, 4},
		{"500 on a paid call is retried (uncharged)", 500, "error_500.json", []error{infludata.ErrServer}, []error{infludata.ErrOutcomeUnknown}, "", "Internal server error", "", time.Time{}, 4},
		{"html from a proxy", 502, "<html>bad gateway</html>", []error{infludata.ErrServer}, nil, "", "Bad Gateway", "", time.Time{}, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, rec := mock(t)
			if tc.fixture[0] == '<' {
				mt.RegisterResponder("GET", base+"/getUserData", func(req *http.Request) (*http.Response, error) {
					rec.add(req)
					return httpmock.NewStringResponse(tc.status, tc.fixture), nil
				})
			} else {
				mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, tc.status, tc.fixture))
			}
			err := getAdidas(context.Background(), c)
			require.Error(t, err)
			var e *infludata.Error
			require.True(t, errors.As(err, &e))
			for _, k := range tc.kinds {
				assert.ErrorIs(t, err, k)
			}
			for _, k := range tc.not {
				assert.NotErrorIs(t, err, k)
			}
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, infludata.Code(tc.code), infludata.CodeOf(err))
			assert.Equal(t, tc.message, e.Message)
			if tc.details != "" {
				assert.JSONEq(t, tc.details, string(e.Details))
			}
			assert.True(t, tc.resetAt.Equal(e.ResetAt), "reset at %v, want %v", e.ResetAt, tc.resetAt)
			assert.Len(t, rec.all(), tc.calls)
			assert.NotContains(t, err.Error(), testKey)
			assert.EqualValues(t, 0, c.Usage().Spent, "failed calls are not charged")
		})
	}
}

func TestQuotaErrorsOnEveryPaidCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, fx := range []string{"error_429_quota.json", "error_403_insufficient_tokens.json"} {
		c, mt, rec := mock(t)
		status := 403
		if fx == "error_429_quota.json" {
			status = 429
		}
		for _, path := range []string{"getUserData", "discovery", "getContent"} {
			mt.RegisterResponder("GET", base+"/"+path, reply(t, rec, status, fx))
		}
		_, err := c.Discovery.Search(ctx, infludata.SearchParams{Platform: infludata.Instagram})
		assert.ErrorIs(t, err, infludata.ErrQuotaExceeded, fx)
		_, err = c.Content.Get(ctx, infludata.ContentParams{Limit: 5})
		assert.ErrorIs(t, err, infludata.ErrQuotaExceeded, fx)
		assert.ErrorIs(t, getAdidas(ctx, c), infludata.ErrQuotaExceeded, fx)
		assert.Len(t, rec.all(), 3, "never retried")
	}
}

func TestBurst429RetriedThenSucceeds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/discovery", sequence(
			reply(t, rec, 429, "error_429_burst.json"),
			reply(t, rec, 429, "error_429_burst.json", "Retry-After", "0.01"),
			reply(t, rec, 200, "discovery.json")))
		pg, err := c.Discovery.Search(context.Background(), infludata.SearchParams{Platform: infludata.Instagram})
		require.NoError(t, err)
		assert.Equal(t, 3, pg.Response.Attempts)
		assert.Len(t, rec.all(), 3)
		assert.EqualValues(t, 1, c.Usage().Spent)
	})
}

func TestPaidCallsAreNotResentAfterALostAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("garbled 200 on a paid call: outcome unknown, one request", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, `{"_id":"507f1f77bcf86cd799439011","user<html>502</html>`))
		err := getAdidas(ctx, c)
		assert.ErrorIs(t, err, infludata.ErrOutcomeUnknown)
		assert.ErrorIs(t, err, infludata.ErrUnexpectedResponse)
		assert.Len(t, rec.all(), 1, "a charged answer is not bought twice")
	})
	t.Run("garbled 200 on a free call is retried", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, mt, rec := mock(t)
			mt.RegisterResponder("GET", base+"/checkDataStatus", sequence(reply(t, rec, 200, `{"isInDatabase":tr<html>`), reply(t, rec, 200, "data_status.json")))
			_, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "cristiano"})
			require.NoError(t, err)
			assert.Len(t, rec.all(), 2)
		})
	})
	t.Run("connection lost after sending a paid call", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, mt, rec := mock(t)
			mt.RegisterResponder("GET", base+"/getContent", func(req *http.Request) (*http.Response, error) {
				rec.add(req)
				return nil, errors.New("connection reset by peer")
			})
			_, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 10})
			require.Error(t, err)
			assert.ErrorIs(t, err, infludata.ErrNetwork)
			assert.LessOrEqual(t, len(rec.all()), 4)
		})
	})
	t.Run("5xx then success on a paid call", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, mt, rec := mock(t)
			mt.RegisterResponder("GET", base+"/getContent", sequence(reply(t, rec, 503, "error_500.json"), reply(t, rec, 200, "content_cursor.json")))
			pg, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 100})
			require.NoError(t, err)
			assert.Len(t, pg.Items, 1)
			assert.Len(t, rec.all(), 2)
		})
	})
}

func TestTrialOutcomes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name    string
		verify  bool
		status  int
		fixture string
		outcome infludata.TrialOutcome
		kind    error
		left    *int
	}{
		{"create 400", false, 400, "error_400.json", infludata.TrialInvalidEmail, infludata.ErrInvalidParams, nil},
		{"create 409", false, 409, "error_409_trial_issued.json", infludata.TrialAlreadyIssued, infludata.ErrConflict, nil},
		{"create 429", false, 429, "error_429_burst.json", infludata.TrialSignupRateLimited, infludata.ErrRateLimited, nil},
		{"create 503", false, 503, "error_503_signup_caps.json", infludata.TrialSignupClosed, infludata.ErrServer, nil},
		{"verify 400", true, 400, "error_400.json", infludata.TrialBadRequest, infludata.ErrInvalidParams, nil},
		{"verify 401", true, 401, "error_401_wrong_code.json", infludata.TrialWrongCode, infludata.ErrUnauthorized, ptr(3)},
		{"verify 404", true, 404, "error_404_no_pending.json", infludata.TrialNoPendingCode, infludata.ErrNotFound, nil},
		{"verify 410", true, 410, "error_410_code_expired.json", infludata.TrialCodeExpired, nil, nil},
		{"verify 429", true, 429, "error_429_burst.json", infludata.TrialTooManyAttempts, infludata.ErrRateLimited, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, rec := mock(t)
			var err error
			if tc.verify {
				mt.RegisterResponder("POST", base+"/verifyTrialKey", reply(t, rec, tc.status, tc.fixture))
				_, err = c.Trial.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "you@company.com", Code: "123456"})
			} else {
				mt.RegisterResponder("POST", base+"/createTrialKey", reply(t, rec, tc.status, tc.fixture))
				_, err = c.Trial.Create(ctx, infludata.CreateTrialKeyParams{Email: "you@company.com"})
			}
			var te *infludata.TrialError
			require.True(t, errors.As(err, &te), "%v", err)
			assert.Equal(t, tc.outcome, te.Outcome)
			assert.Equal(t, tc.left, te.AttemptsRemaining)
			if tc.kind != nil {
				assert.ErrorIs(t, err, tc.kind)
			}
			assert.NotErrorIs(t, err, infludata.ErrOutcomeUnknown, "a documented answer is a known outcome")
			assert.Len(t, rec.all(), 1, "signup refusals are not retried")
			assert.Contains(t, err.Error(), string(tc.outcome))
		})
	}
	t.Run("verify is not resent after a lost answer", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("POST", base+"/verifyTrialKey", reply(t, rec, 502, "error_500.json"))
		_, err := c.Trial.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "you@company.com", Code: "123456"})
		assert.ErrorIs(t, err, infludata.ErrOutcomeUnknown)
		assert.Len(t, rec.all(), 1)
	})
	t.Run("create is retried after a 500 (a fresh code is harmless)", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, mt, rec := mock(t)
			mt.RegisterResponder("POST", base+"/createTrialKey", sequence(reply(t, rec, 500, "error_500.json"), reply(t, rec, 200, "create_trial_key.json")))
			_, err := c.Trial.Create(ctx, infludata.CreateTrialKeyParams{Email: "you@company.com"})
			require.NoError(t, err)
			assert.Len(t, rec.all(), 2)
		})
	})
}

func ptr[T any](v T) *T { return &v }
