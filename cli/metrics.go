package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// metricsServer serves the job's metrics for Prometheus (run
// --metrics-addr) while the job runs: the pipeline's OpenTelemetry
// instruments (datasync.WithMeterProvider), exported in Prometheus' format
// at /metrics.
type metricsServer struct {
	provider *sdkmetric.MeterProvider
	server   *http.Server
	addr     net.Addr // where it listens, the port chosen when 0 was asked
	done     chan error
}

// startMetrics listens on addr and starts serving.
func startMetrics(addr string) (*metricsServer, error) {
	registry := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(registry))
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		_ = provider.Shutdown(context.Background())
		return nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{}))
	m := &metricsServer{provider: provider, addr: l.Addr(), done: make(chan error, 1),
		server: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		err := m.server.Serve(l)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		m.done <- err
	}()
	return m, nil
}

// stop stops serving, letting a scrape in progress finish.
func (m *metricsServer) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = m.server.Shutdown(ctx)
	<-m.done
	_ = m.provider.Shutdown(ctx)
}
