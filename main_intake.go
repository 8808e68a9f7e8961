package main

import (
	"context"
	"crypto/rand"
	"fmt"

	"ventanilla/app"
	"ventanilla/app/intake"
	"ventanilla/app/network"
	"ventanilla/app/sync"
	"ventanilla/app/verify"
	"ventanilla/db"
)

// services are the core services a command works with, on one store.
type services struct {
	store  *db.Store
	verify *verify.Service
	intake *intake.Service
}

// openServices opens the store, gives an empty register its default configuration, and
// builds the services; net may be nil (offline).
func openServices(ctx context.Context, g globals, net network.Client) (*services, error) {
	store, err := openStore(ctx, g)
	if err != nil {
		return nil, err
	}
	if err := intake.Seed(ctx, store, func() int { return app.RegistryYear(app.SystemClock()) }); err != nil {
		store.Close()
		return nil, fmt.Errorf("prepare the register: %w", err)
	}
	v := verify.New(store, net, app.SystemClock, rand.Reader)
	return &services{store: store, verify: v, intake: intake.New(store, v, app.SystemClock)}, nil
}

func (s *services) Close() error { return s.store.Close() }

// engine builds the sync engine on these services: their intake, and handles entered offline
// resolved as soon as the network answers.
func (s *services) engine(net network.Client, cfg sync.Config) *sync.Engine {
	cfg.Store, cfg.Net, cfg.Intake = s.store, net, s.intake
	cfg.Online = func(ctx context.Context) error {
		_, err := s.verify.ResolvePending(ctx)
		return err
	}
	return sync.New(cfg)
}
