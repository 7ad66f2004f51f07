package datasync

import (
	"errors"
	"fmt"
)

// Settings are the job-wide settings of a pipeline that an engine running
// its splits on several machines must share out between them (the Temporal
// module does): how many splits run at once, the rate limit and the
// dirty-data policy.
type Settings struct {
	Parallelism int
	Rate        Rate
	Dirty       DirtyPolicy
}

// Settings returns the pipeline's parallelism, rate limit and dirty-data
// policy, as its options set them.
func (p *Pipeline) Settings() Settings {
	return Settings{Parallelism: p.cfg.parallelism, Rate: p.cfg.rate, Dirty: p.cfg.dirty}
}

// With returns a pipeline over the same source and sink with p's options
// followed by opts, such as a smaller WithRateLimit for one split's share of
// a job-wide limit. The new pipeline has its own rate-limit bucket (starting
// empty) and shares the source's schema if p has read it already. Batch
// sizes stay as small as p's rate made them, or smaller for a lower rate.
// Invalid options are reported as NewPipeline reports them.
func (p *Pipeline) With(opts ...Option) (*Pipeline, error) {
	cfg := p.cfg
	var errs []error
	for _, o := range opts {
		if o == nil {
			errs = append(errs, invalid("Option", "nil option"))
			continue
		}
		if err := o.apply(&cfg); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("datasync: Pipeline.With: %w", err)
	}
	m, err := newMeters(cfg.ops.meterProvider)
	if err != nil {
		return nil, fmt.Errorf("datasync: Pipeline.With: %w", invalid("WithMeterProvider", "%v", err))
	}
	cfg.batchRows, cfg.batchBytes = cfg.rate.fitBatch(cfg.batchRows, cfg.batchBytes)
	q := &Pipeline{
		src:      p.src,
		dst:      p.dst,
		cfg:      cfg,
		throttle: newThrottle(cfg.rate, cfg.batchRows, cfg.batchBytes),
		meters:   m,
	}
	p.schemaMu.Lock()
	q.schema, q.schemaOK = p.schema, p.schemaOK
	p.schemaMu.Unlock()
	return q, nil
}
