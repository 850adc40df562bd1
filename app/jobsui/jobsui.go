// Package jobsui builds River's own web UI (riverui) over the store's River
// client, for admins to see recent and failed jobs and retry them. It picks
// the client's transaction type by engine, which the store interface hides,
// so it is the one package besides cli that knows both store adapters: cli
// builds the handler and hands web the handler and its Prefix to mount.
package jobsui

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"

	"riverqueue.com/riverui"
	"riverqueue.com/riverui/uiendpoints"
)

// Prefix is where the UI is mounted: the handler serves its pages and API
// under it.
const Prefix = "/admin/jobs"

// New returns the started UI handler; it stops when ctx ends. The store's
// jobs must be configured first.
func New(ctx context.Context, s store.Store, logger *slog.Logger) (http.Handler, error) {
	var endpoints uiendpoints.Bundle
	switch st := s.(type) {
	case *litestore.Store:
		if st.Client() == nil {
			return nil, store.ErrJobsNotConfigured
		}
		endpoints = riverui.NewEndpoints(st.Client(), nil)
	case *pgstore.Store:
		if st.Client() == nil {
			return nil, store.ErrJobsNotConfigured
		}
		endpoints = riverui.NewEndpoints(st.Client(), nil)
	default:
		return nil, errors.New("jobsui: unknown store engine")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	h, err := riverui.NewHandler(&riverui.HandlerOpts{Endpoints: endpoints, Logger: logger, Prefix: Prefix, JobListHideArgsByDefault: true})
	if err != nil {
		return nil, err
	}
	if err := h.Start(ctx); err != nil {
		return nil, err
	}
	return h, nil
}
