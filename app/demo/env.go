package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	gosync "sync"
	"time"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/app/intake"
	"ventanilla/app/kiosk"
	"ventanilla/app/network"
	"ventanilla/app/network/sim"
	"ventanilla/app/network/x"
	"ventanilla/app/sync"
	"ventanilla/app/verify"
)

// Store is what a simulated town hall needs of its database; *db.Store is one.
type Store interface {
	intake.Store
	desk.Store
	kiosk.Store
	verify.Store
	Backup(ctx context.Context, path string, omitSettings []string) error
	Close() error
}

// OpenStore opens (creating and migrating) the database file at path. main passes
// func(ctx context.Context, path string) (demo.Store, error) { return db.Open(ctx, path) },
// since app packages do not import db.
type OpenStore func(ctx context.Context, path string) (Store, error)

// Config says where a simulated town hall lives.
type Config struct {
	// Dir is its own data directory: the database (ventanilla.db) and the simulator's state
	// (sim.json) live there, never in the real data directory.
	Dir   string
	Open  OpenStore
	Clock app.Clock
	// OwnerHandle and OwnerName are the town hall's account on the simulated network.
	OwnerHandle, OwnerName string
	// SyncInterval is the time between the engine's rounds in Run; default 3 seconds.
	SyncInterval time.Duration
	Log          *slog.Logger
}

// Env is a town hall running against the in-process simulated network on loopback: a store in
// its own directory, the simulator, the real X client pointed at it, and the services on top.
// Nothing it does reaches the real network or the real register.
type Env struct {
	Dir     string
	DBPath  string
	SimURL  string
	Sim     *sim.Server
	Net     network.Client
	Store   Store
	Verify  *verify.Service
	Intake  *intake.Service
	Engine  *sync.Engine
	Desk    *desk.Service
	Kiosk   *kiosk.Service
	clock   app.Clock
	closeMu gosync.Once
}

// Start opens (or creates) the simulated town hall in cfg.Dir and starts its simulator. The
// engine is built but not running: the caller owns Env.Engine.Run (or calls Sync).
func Start(ctx context.Context, cfg Config) (*Env, error) {
	if cfg.Dir == "" || cfg.Open == nil {
		return nil, errors.New("demo: a directory and a store opener are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = app.SystemClock
	}
	if cfg.OwnerHandle == "" {
		cfg.OwnerHandle = "ayuntamiento"
	}
	if cfg.OwnerName == "" {
		cfg.OwnerName = "Ayuntamiento de Jun"
	}
	if cfg.SyncInterval <= 0 {
		cfg.SyncInterval = 3 * time.Second
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("demo: data directory %s: %w", cfg.Dir, err)
	}
	e := &Env{Dir: cfg.Dir, DBPath: filepath.Join(cfg.Dir, "ventanilla.db"), clock: cfg.Clock}
	e.Sim = sim.New(sim.Options{Clock: cfg.Clock, OwnerHandle: cfg.OwnerHandle, OwnerName: cfg.OwnerName,
		StateFile: filepath.Join(cfg.Dir, "sim.json")})
	url, err := e.Sim.Start("127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: start the simulated network: %w", err)
	}
	e.SimURL = url
	nc, err := x.New(ctx, x.Config{BaseURL: url, BearerToken: "simulated", Timeout: 10 * time.Second})
	if err != nil {
		e.Sim.Close()
		return nil, err
	}
	e.Net = nc
	store, err := cfg.Open(ctx, e.DBPath)
	if err != nil {
		e.Sim.Close()
		return nil, err
	}
	e.Store = store
	if err := intake.Seed(ctx, store, func() int { return app.RegistryYear(cfg.Clock()) }); err != nil {
		e.Close()
		return nil, fmt.Errorf("demo: prepare the register: %w", err)
	}
	e.Verify = verify.New(store, nc, cfg.Clock, rand.Reader)
	e.Intake = intake.New(store, e.Verify, cfg.Clock)
	e.Engine = sync.New(sync.Config{Store: store, Net: nc, Intake: e.Intake, Clock: cfg.Clock, Interval: cfg.SyncInterval,
		MaxWait: 10 * time.Second, Log: cfg.Log, Online: func(ctx context.Context) error {
			_, err := e.Verify.ResolvePending(ctx)
			return err
		}})
	e.Desk = desk.New(store, desk.WithClock(cfg.Clock))
	e.Kiosk = kiosk.New(kiosk.Config{Store: store, Verify: e.Verify, Desk: e.Desk, Clock: cfg.Clock})
	return e, nil
}

// Sync runs the engine until everything the simulator holds is pulled and the outbox is sent.
func (e *Env) Sync(ctx context.Context) error {
	_, err := e.Engine.RunOnce(ctx)
	return err
}

// Close saves the simulator's state, stops it and closes the store. It is safe to call twice.
func (e *Env) Close() error {
	var err error
	e.closeMu.Do(func() {
		var errs []error
		if e.Sim != nil {
			errs = append(errs, e.Sim.Close())
		}
		if e.Store != nil {
			errs = append(errs, e.Store.Close())
		}
		err = errors.Join(errs...)
	})
	return err
}
