package fake

import (
	"context"
	"net/http"
)

func contextWithKey(r *http.Request, key string) context.Context {
	return context.WithValue(r.Context(), keyCtx{}, key)
}
