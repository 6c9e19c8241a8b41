package infludata_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A checkDataStatus answer with members the SDK does not name (a future
// field, an object, a null), named members sent empty, and the July 2025
// profilePictureUrl.
const statusWithUnknowns = `{
  "isInDatabase": true,
  "creatorId": "507f1f77bcf86cd799439011",
  "username": "example_user",
  "displayName": "",
  "platform": "instagram",
  "followers": 125000,
  "posts": 0,
  "isPrivate": false,
  "hasAudienceData": true,
  "profilePictureUrl": "https://cdn.example/p/example_user.jpg",
  "audienceQualityScore": 87.5,
  "refreshQueue": {"position": 3, "eta": "2026-06-02T10:00:00Z"},
  "categories": ["fashion", "sports"],
  "deprecatedField": null
}`

// DataStatus keeps the members it does not name in Extra, like Profile,
// so encoding it gives back what influData sent: through encoding/json
// and through the client (tolerant and strict), in both documented shapes.
func TestDataStatusKeepsUnknownMembers(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, d *infludata.DataStatus, body string) {
		t.Helper()
		assert.Equal(t, "https://cdn.example/p/example_user.jpg", d.ProfilePictureURL)
		assert.True(t, d.AudienceReady())
		require.Len(t, d.Extra, 4, "the members the type does not name: %v", d.Extra)
		assert.JSONEq(t, `87.5`, string(d.Extra["audienceQualityScore"]))
		assert.JSONEq(t, `{"position": 3, "eta": "2026-06-02T10:00:00Z"}`, string(d.Extra["refreshQueue"]))
		assert.JSONEq(t, `["fashion", "sports"]`, string(d.Extra["categories"]))
		assert.JSONEq(t, `null`, string(d.Extra["deprecatedField"]))
		again, err := json.Marshal(d)
		require.NoError(t, err)
		assert.JSONEq(t, body, string(again), "nothing lost, nothing added")
	}

	t.Run("encoding/json", func(t *testing.T) {
		t.Parallel()
		var d infludata.DataStatus
		require.NoError(t, json.Unmarshal([]byte(statusWithUnknowns), &d))
		check(t, &d, statusWithUnknowns)
		var p *infludata.DataStatus
		require.NoError(t, json.Unmarshal([]byte(`{"status":"READY","note":"x"}`), &p))
		assert.True(t, p.Legacy())
		assert.JSONEq(t, `"x"`, string(p.Extra["note"]))
		b, err := json.Marshal(p)
		require.NoError(t, err)
		assert.JSONEq(t, `{"status":"READY","note":"x"}`, string(b))
		assert.Error(t, json.Unmarshal([]byte(`{"isInDatabase":"yes","x":1}`), new(infludata.DataStatus)), "a control field that does not fit is still an error")
	})
	for _, strict := range []bool{false, true} {
		name := map[bool]string{false: "client", true: "client, strict decoding"}[strict]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var opts []infludata.Option
			if strict {
				opts = append(opts, infludata.WithStrictDecoding())
			}
			c, mt, rec := mock(t, opts...)
			mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200, statusWithUnknowns))
			d, err := c.Profiles.CheckStatus(context.Background(), infludata.DataStatusParams{Platform: infludata.Instagram, Username: "example_user"})
			require.NoError(t, err)
			assert.Empty(t, d.Response.GetDecodeIssues(), "an unknown member is no issue")
			assert.JSONEq(t, statusWithUnknowns, string(d.Raw))
			check(t, d, statusWithUnknowns)
		})
	}
	t.Run("client, a value that does not fit", func(t *testing.T) {
		t.Parallel()
		c, mt, rec := mock(t)
		body := `{"isInDatabase":true,"hasAudienceData":true,"followers":"many","newThing":[1,2]}`
		mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200, body))
		d, err := c.Profiles.CheckStatus(context.Background(), infludata.DataStatusParams{Platform: infludata.Instagram, Username: "example_user"})
		require.NoError(t, err)
		require.Len(t, d.Response.GetDecodeIssues(), 1)
		assert.Equal(t, "followers", d.Response.GetDecodeIssues()[0].Path)
		assert.Nil(t, d.Followers)
		assert.JSONEq(t, `[1,2]`, string(d.Extra["newThing"]), "the rest decoded, unknown members kept")
		assert.True(t, d.AudienceReady())
	})
}
