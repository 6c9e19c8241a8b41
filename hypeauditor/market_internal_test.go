package hypeauditor

import (
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/transport"
	"github.com/stretchr/testify/assert"
)

func TestMarketModelsRoundTripFixtures(t *testing.T) {
	t.Parallel()
	roundTripFixtures(t, map[string]func() any{
		"competitor_analysis.json": func() any { return &CompetitorAnalysis{} },
	})
}

// The market analysis state: 0 is NOT_READY for the waits, 10 READY, and
// any other value no state (the wait returns it).
func TestCompetitorAnalysisStates(t *testing.T) {
	t.Parallel()
	for state, want := range map[int]ReportState{0: StateNotReady, 10: StateReady, 20: ""} {
		a := &CompetitorAnalysis{Report: &CompetitorReport{Basic: CompetitorBasic{ReportID: "x", State: Int(state)}}}
		a.setMeta(nil, &ResponseMeta{})
		assert.Equal(t, want, a.status().State, state)
	}
	var a *CompetitorAnalysis
	assert.False(t, a.Ready())
	assert.Empty(t, a.ReportID())
	assert.Equal(t, "https://hypeauditor.com/api/marketanalysis/", marketAnalysisURL(DefaultBaseURL))
	assert.Equal(t, "http://127.0.0.1:8080/api/marketanalysis/", marketAnalysisURL("http://127.0.0.1:8080/api/method/"))
	assert.Equal(t, "http://proxy/marketanalysis/", marketAnalysisURL("http://proxy/"))
}

// The market analysis client shares the method client's budgets and
// unit: should a market analysis call ever spend, it spends from the same
// budgets, and Client.Usage sums both clients.
func TestMarketAnalysisClientSharesBudgets(t *testing.T) {
	t.Parallel()
	b, qb := NewBudget(3), NewBudget(4)
	c, err := NewClient(WithCredentials("770312", "token"), WithBudget(b), WithDiscoveryBudget(qb))
	if !assert.NoError(t, err) {
		return
	}
	assert.NotSame(t, c.t, c.mt)
	for _, tc := range []*transport.Client{c.t, c.mt} {
		assert.Same(t, b, tc.Budget(""))
		assert.Same(t, qb, tc.Budget(UnitDiscoveryQueries))
		assert.Equal(t, UnitReportCredits, tc.Unit())
	}
}
