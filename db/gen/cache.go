package gen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"ventanilla/db"
)

// ScaleEnv names the environment variable that sets the size of the benchmarks' databases:
// "full" (1,000,000 messages and about 500,000 cases, the sizes the targets are set at; about
// six minutes to generate on two cores, once per machine), "reduced" (the default: a fifth,
// about a minute), or a number of messages.
const ScaleEnv = "VENTANILLA_BENCH_SCALE"

// FullMessages is the number of messages of a full-scale benchmark database.
const FullMessages = 1_000_000

// BenchConfig is the database the benchmarks use at the scale ScaleEnv asks for: messages
// inbound messages (about half as many cases) and a town of 20,000 residents, seed 1.
func BenchConfig() Config {
	msgs := FullMessages / 5
	switch v := os.Getenv(ScaleEnv); v {
	case "", "reduced":
	case "full":
		msgs = FullMessages
	default:
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			msgs = n
		}
	}
	return Config{Residents: 20_000, Messages: msgs, Seed: 1}.withDefaults()
}

// generatorVersion changes whenever Generate writes different data for the same Config, so
// that cached databases are rebuilt.
const generatorVersion = 2

// BenchDatabase returns the path of a database generated from cfg, building it the first time
// on this machine and reusing it afterwards (from os.TempDir()/ventanilla-bench, named after
// the seed, the sizes and the schema version). Processes that ask at the same time wait for
// the one that builds it. Callers must not write to it.
func BenchDatabase(ctx context.Context, cfg Config) (string, error) {
	cfg = cfg.withDefaults()
	dir := filepath.Join(os.TempDir(), "ventanilla-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := fmt.Sprintf("gen%d-seed%d-r%d-m%d-y%d-%s-schema%d.db", generatorVersion, cfg.Seed, cfg.Residents, cfg.Messages, cfg.Years,
		cfg.End.Format("20060102"), db.SchemaVersion())
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	unlock, err := lockFile(ctx, path+".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(path); err == nil {
		return path, nil // built while we waited
	}
	tmp := path + ".building"
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	if _, err := Generate(ctx, tmp, cfg); err != nil {
		return "", err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	return path, nil
}

// EmptyBenchDatabase returns a database with the same configuration and staff as
// BenchDatabase's but no residents, messages or cases, built once like it.
func EmptyBenchDatabase(ctx context.Context) (string, error) {
	return BenchDatabase(ctx, Config{Residents: -1, Messages: -1, Seed: 1})
}

// Lock serialises the benchmarks of every package on this machine: `go test -bench ./...`
// runs several test binaries at once, and on a small machine they would time each other. It
// returns the function that releases the lock.
func Lock(ctx context.Context) (func(), error) {
	dir := filepath.Join(os.TempDir(), "ventanilla-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return lockFile(ctx, filepath.Join(dir, "run.lock"))
}

// lockFile takes an exclusive lock by creating path, waiting while another live process holds
// it. A lock left by a process that died (older than a day, or whose holder is gone) is broken.
func lockFile(ctx context.Context, path string) (func(), error) {
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, err
		}
		if stale(path) {
			os.Remove(path)
			continue
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func stale(path string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	if time.Since(st.ModTime()) > 24*time.Hour {
		return true
	}
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return time.Since(st.ModTime()) > time.Minute
	}
	pid, err := strconv.Atoi(string(b[:len(b)-1]))
	if err != nil {
		return true
	}
	return !processAlive(pid)
}
