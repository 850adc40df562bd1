package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os/signal"
	"syscall"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/config"
	"clinaudit/app/jobsui"
	"clinaudit/app/web"
	"clinaudit/jobs"
)

// serve runs the web app (withHTTP) and/or the job workers until ctx ends or
// SIGINT/SIGTERM arrives, then drains HTTP first, jobs second, and closes the
// database last.
func serve(ctx context.Context, cfg *config.Config, log *slog.Logger, env Env, withHTTP bool) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// Before the database: a worker with nothing to do need not migrate it.
	workers := cfg.Workers
	if !withHTTP && workers == 0 {
		return fmt.Errorf("worker with --workers=0 would do nothing")
	}
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()

	authSvc, err := newAuth(s, cfg)
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := seedDemoData(ctx, s, authSvc, env); err != nil {
			return err
		}
	}
	emailProvider, smsProvider, err := newProviders(cfg)
	if err != nil {
		return err
	}
	filesSvc, err := newFiles(ctx, cfg, s)
	if err != nil {
		return err
	}
	defer filesSvc.Bucket.Close()
	jobLog := log.With("component", "jobs")
	set := jobs.All(jobs.Deps{Store: s, Auth: authSvc, Answers: answers.New(s, time.Now), Email: emailProvider, SMS: smsProvider, BaseURL: cfg.BaseURL, Logger: jobLog,
		AggregateEvery: cfg.AggregateEvery, RecordViewRetention: cfg.RecordViewRetention, Files: filesSvc})
	if err := s.ConfigureJobs(set.Config(workers, jobLog)); err != nil {
		return err
	}
	// The signal ends ctx but not the jobs (StartJobs detaches them):
	// StopJobs, below, lets them finish after HTTP has drained.
	if err := s.StartJobs(ctx); err != nil {
		return err
	}

	var app interface {
		ShutdownWithContext(context.Context) error
	}
	if withHTTP {
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
		}
		ui, err := jobsui.New(ctx, s, log.With("component", "jobsui"))
		if err != nil {
			return err
		}
		a := web.New(web.Deps{Store: s, Logger: log, Version: Version, Demo: cfg.Demo, SuppressBelow: int64(cfg.SuppressBelow), Auth: authSvc, HTTPS: cfg.HTTPS(), JobsUI: ui, JobsUIPath: jobsui.Prefix,
			NotifyCallbackToken: cfg.NotifyCallbackToken,
			TrustedProxies:      cfg.TrustedProxyPrefixes(), ProxyHeader: cfg.ClientIPHeader(), Files: filesSvc})
		app = a
		serveErr := make(chan error, 1)
		go func() { serveErr <- a.Listener(ln) }()
		addr := ln.Addr().String()
		log.Info("listening", "url", "http://"+addr, "engine", s.Engine(), "workers", workers,
			"startup_ms", time.Since(env.Started).Milliseconds())
		fmt.Fprintf(env.Stdout, "clinaudit %s is serving http://%s (database: %s)\n", Version, addr, s.Engine())
		if cfg.Demo {
			demoWarning(env, log, cfg, addr)
		}
		if env.Ready != nil {
			env.Ready(addr)
		}
		select {
		case <-ctx.Done():
		case err := <-serveErr:
			if err != nil {
				return err
			}
		}
	} else {
		log.Info("working jobs", "engine", s.Engine(), "workers", workers,
			"startup_ms", time.Since(env.Started).Milliseconds())
		if env.Ready != nil {
			env.Ready("")
		}
		<-ctx.Done()
	}

	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if app != nil {
		if err := app.ShutdownWithContext(sctx); err != nil {
			log.Warn("http shutdown", "err", err)
		}
	}
	if err := s.StopJobs(sctx); err != nil {
		log.Warn("jobs shutdown", "err", err)
	}
	log.Info("stopped")
	return nil
}

// demoWarning says at start-up who can read the demo's mailbox: anyone who
// reaches the address, which --demo keeps to this machine unless
// --demo-allow-remote was given.
func demoWarning(env Env, log *slog.Logger, cfg *config.Config, addr string) {
	if config.Loopback(cfg.Addr) {
		fmt.Fprintf(env.Stdout, "Demo mode: the Demo mailbox (http://%s/demo/mailbox) shows every email, reset links included, to anyone on this machine. Never use --demo with real data.\n", addr)
		return
	}
	fmt.Fprintf(env.Stdout, "WARNING: demo mode on %s with --demo-allow-remote: anyone who can reach it can read the Demo mailbox (every reset link and sign-in code) and sign in as any demo account. Never use --demo with real data.\n", addr)
	log.Warn("demo mode reachable from other machines", "addr", addr, "setting", "--demo-allow-remote")
}
