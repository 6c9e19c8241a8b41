package engagecheck_test

import (
	"testing"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every model round-trips its documented example without losing a field.
func TestModelsRoundTripFixtures(t *testing.T) {
	t.Parallel()
	cases := map[string]func() any{
		"audit_created.json":           func() any { return &engagecheck.Audit{} },
		"audit_complete_inline.json":   func() any { return &engagecheck.Audit{} },
		"audit_analyzing.json":         func() any { return &engagecheck.Audit{} },
		"audit_complete.json":          func() any { return &engagecheck.Audit{} },
		"batch_accepted.json":          func() any { return &engagecheck.Batch{} },
		"audits_list.json":             func() any { return &engagecheck.AuditList{} },
		"credits.json":                 func() any { return &engagecheck.Credits{} },
		"webhook_audit_completed.json": func() any { return &engagecheck.WebhookEvent{} },
		"webhook_audit_failed.json":    func() any { return &engagecheck.WebhookEvent{} },
	}
	for name, newV := range cases {
		t.Run(name, func(t *testing.T) { fixture.RoundTrip(t, fixture.Load(t, name), newV()) })
	}
}

func TestAuditCompleteDecodesEveryField(t *testing.T) {
	t.Parallel()
	var a engagecheck.Audit
	fixture.RoundTrip(t, fixture.Load(t, "audit_complete.json"), &a)
	assert.Equal(t, int64(142), a.ID)
	assert.Equal(t, engagecheck.StatusComplete, a.Status)
	require.NotNil(t, a.AQS)
	assert.Equal(t, 88.0, *a.AQS)
	assert.Equal(t, engagecheck.BandHighQuality, engagecheck.BandOf(*a.AQS))
	assert.Equal(t, "2026-06-25 17:00:42", a.CompletedAt.UTC().Format("2006-01-02 15:04:05"))
	r := a.Report
	require.NotNil(t, r)
	assert.Equal(t, 2026, r.GeneratedAt.Year())
	s := r.Signal("engagement_rate")
	require.NotNil(t, s)
	assert.Equal(t, 92, s.Score)
	assert.Equal(t, 25.0, s.WeightPct)
	assert.Equal(t, "3.10% ER", s.Value)
	assert.Nil(t, r.Signal("nope"))
	assert.Equal(t, 4.0, r.CommentQuality.BotCommentPercentage)
	assert.False(t, r.CommentQuality.PodActivityDetected)
	assert.Equal(t, int64(280000000), r.Profile.FollowersCount)
	assert.True(t, r.Profile.IsVerified)
	assert.Nil(t, a.ErrorMessage)
	assert.True(t, a.Done())

	var running engagecheck.Audit
	fixture.RoundTrip(t, fixture.Load(t, "audit_analyzing.json"), &running)
	assert.Equal(t, engagecheck.StatusAnalyzing, running.Status)
	assert.False(t, running.Done())
	assert.Nil(t, running.CompletedAt)
	assert.Equal(t, 17, running.CreatedAt.Hour())
}

func TestBands(t *testing.T) {
	t.Parallel()
	assert.Equal(t, engagecheck.BandHighQuality, engagecheck.BandOf(80))
	assert.Equal(t, engagecheck.BandModerate, engagecheck.BandOf(79))
	assert.Equal(t, engagecheck.BandModerate, engagecheck.BandOf(60))
	assert.Equal(t, engagecheck.BandHighRisk, engagecheck.BandOf(59))
}

func TestNormalizeUsername(t *testing.T) {
	t.Parallel()
	ok := map[string]string{
		"natgeo": "natgeo", "@NatGeo": "natgeo", "  nasa ": "nasa", "https://www.instagram.com/natgeo/": "natgeo",
		"instagram.com/nat.geo_1?hl=en": "nat.geo_1", "": "", "   ": "",
	}
	for in, want := range ok {
		got, err := engagecheck.NormalizeUsername(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, handle := range []string{"best.instagram.comedy", "instagram.com0", "instagram.com"} {
		got, err := engagecheck.NormalizeUsername(handle)
		require.NoError(t, err, "a handle that holds instagram.com is a handle")
		assert.Equal(t, handle, got)
	}
	for _, bad := range []string{"nat geo", "@", "a-b", "thisisaverylonghandlethatistoolong", "/instagram.com0", "https://evil.example/natgeo", "https://instagram.com.evil.example/natgeo"} {
		_, err := engagecheck.NormalizeUsername(bad)
		assert.ErrorIs(t, err, engagecheck.ErrInvalidParams, bad)
	}
}
