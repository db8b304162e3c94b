package inbound

import "net/http"
import "github.com/bounced-dev/bounced/internal/pipeline"

type PostmarkOptions struct{}
type stub struct{}
func (stub) parse(r *http.Request, b []byte) ([]pipeline.External, func(), error) { return nil, nil, nil }
func newPostmark(PostmarkOptions) (provider, error) { return stub{}, nil }
