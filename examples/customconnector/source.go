package customconnector

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/datasync-go/datasync"
)

// Config is the connector's parameter object in a job file.
type Config struct {
	URL    string       `json:"url" datasync:"required"`   // the API, e.g. https://api.example.com/orders
	Pages  int          `json:"pages" datasync:"required"` // how many pages it has (?page=1..pages)
	Token  string       `json:"token" datasync:"secret"`   // sent as a bearer token; never printed
	Client *http.Client `json:"-"`                         // optional, for Go callers
}

// Source reads {"id": 1, "customer": "...", "total": "12.50"} lines.
type Source struct {
	cfg    Config
	client *http.Client
}

// NewSource checks cfg; it does no I/O.
func NewSource(cfg Config) (*Source, error) {
	if cfg.URL == "" {
		return nil, errors.New("httpjson: url is required")
	}
	if cfg.Pages < 1 {
		return nil, fmt.Errorf("httpjson: pages is %d; want at least 1", cfg.Pages)
	}
	client := cfg.Client
	if client == nil {
		client = http.DefaultClient
	}
	return &Source{cfg: cfg, client: client}, nil
}

var schema = datasync.Schema{
	{Name: "id", Kind: datasync.KindInt, Key: 1},
	{Name: "customer", Kind: datasync.KindString, Nullable: true},
	{Name: "total", Kind: datasync.KindDecimal, Precision: 12, Scale: 2},
}

// Schema returns the columns of an order.
func (s *Source) Schema(context.Context) (datasync.Schema, error) { return schema, nil }

// Plan returns one split per page: the spec is the page number.
func (s *Source) Plan(context.Context, datasync.PlanHint) ([]datasync.Split, error) {
	splits := make([]datasync.Split, s.cfg.Pages)
	for i := range splits {
		page := i + 1
		splits[i] = datasync.Split{ID: "page-" + strconv.Itoa(page), Spec: json.RawMessage(strconv.Itoa(page))}
	}
	return splits, nil
}

// Open fetches a page; a checkpoint is the number of lines already read.
func (s *Source) Open(ctx context.Context, sp datasync.Split, from datasync.Checkpoint) (datasync.Reader, error) {
	var page int
	if err := json.Unmarshal(sp.Spec, &page); err != nil {
		return nil, fmt.Errorf("httpjson: split %q: %w", sp.ID, err)
	}
	skip := 0
	if from != nil {
		n, err := strconv.Atoi(string(from))
		if err != nil {
			return nil, fmt.Errorf("httpjson: split %q: bad checkpoint", sp.ID)
		}
		skip = n
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.cfg.URL+"?page="+strconv.Itoa(page), nil)
	if err != nil {
		return nil, err
	}
	if s.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.cfg.Token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, datasync.Retryable(err) // the network may come back
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		err := fmt.Errorf("httpjson: page %d: %s", page, resp.Status)
		if resp.StatusCode >= 500 {
			return nil, datasync.Retryable(err)
		}
		return nil, err
	}
	r := &reader{body: resp.Body, lines: bufio.NewScanner(resp.Body)}
	for r.line < skip && r.lines.Scan() {
		r.line++
	}
	return r, nil
}

type reader struct {
	body  io.ReadCloser
	lines *bufio.Scanner
	line  int // lines consumed
}

// order is one line of the API.
type order struct {
	ID       *int64  `json:"id"`
	Customer *string `json:"customer"`
	Total    string  `json:"total"`
}

func (r *reader) Read(ctx context.Context, b *datasync.Batch) error {
	var dirty []*datasync.RowError
	for !b.Full() && r.lines.Scan() {
		r.line++
		var o order
		text := r.lines.Bytes()
		if err := json.Unmarshal(text, &o); err != nil || o.ID == nil {
			if err == nil {
				err = errors.New(`no "id"`)
			}
			dirty = append(dirty, &datasync.RowError{Row: int64(r.line), Value: string(text), Err: err})
			continue
		}
		total, err := b.CopyDecimal([]byte(o.Total))
		if err != nil {
			dirty = append(dirty, &datasync.RowError{Row: int64(r.line), Column: "total", Value: o.Total, Err: err})
			continue
		}
		rec := b.Append()
		rec[0] = datasync.Int(*o.ID)
		if o.Customer != nil {
			rec[1] = b.CopyString([]byte(*o.Customer))
		}
		rec[2] = total
	}
	if len(dirty) > 0 {
		return &datasync.RowErrors{Errors: dirty}
	}
	if err := r.lines.Err(); err != nil {
		return datasync.Retryable(err) // a dropped connection: resume from the checkpoint
	}
	if b.Full() {
		return ctx.Err()
	}
	return io.EOF
}

func (r *reader) Checkpoint() datasync.Checkpoint { return datasync.Checkpoint(strconv.Itoa(r.line)) }

func (r *reader) Close() error { return r.body.Close() }
