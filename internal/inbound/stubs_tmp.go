package inbound

import "net/http"
import "github.com/redis/go-redis/v9"
import "github.com/bounced-dev/bounced/internal/pipeline"

type SendGridOptions struct{}
type PostmarkOptions struct{}
type MailgunOptions struct{ Redis *redis.Client }
type stub struct{}
func (stub) parse(r *http.Request, b []byte) ([]pipeline.External, func(), error) { return nil, nil, nil }
func newSendGrid(SendGridOptions) (provider, error) { return stub{}, nil }
func newPostmark(PostmarkOptions) (provider, error) { return stub{}, nil }
func newMailgun(MailgunOptions) (provider, error) { return stub{}, nil }
