# Ventanilla. `make run` opens the desk; `make test` is what CI runs (.ci/run calls it).
SHELL := /bin/bash
GO ?= go
SQLC := CGO_ENABLED=0 $(GO) tool -modfile=.ci/tools.mod sqlc
# The real window needs cgo and these Debian/Ubuntu packages.
APT_PACKAGES := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev

.PHONY: run test deps generate check-generated vet fmt build race-supported

## run: the desk; with no network credentials in the environment, the demo (its own data
## directory and the built-in simulated network)
run: deps
	@if [ -n "$$VENTANILLA_X_TOKEN$$VENTANILLA_X_API_KEY" ]; then $(GO) run . ; \
	else echo "No network credentials (VENTANILLA_X_TOKEN): opening the demo."; $(GO) run . --demo; fi

## build: the real binary, with a window
build: deps
	$(GO) build -o ventanilla .

## deps: the system packages a fresh Debian/Ubuntu machine lacks for the window
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "Install these packages first: sudo apt-get install$$missing"; exit 1; fi; \
	fi

## generate: regenerate the sqlc code from queries/ and db/migrations/
generate:
	$(SQLC) generate

## test: generated code current, formatting, vet, then every test (with -race where cgo works;
## the desk's screen tests apply every widget update on the test's goroutine, ui.Options.queueUI)
test: deps check-generated fmt vet
	@if $(MAKE) -s race-supported; then \
	  echo "go test -race ./..."; \
	  $(GO) test -race -count=1 -timeout 30m ./...; \
	else \
	  echo "go test ./... (no cgo: -race unavailable)"; $(GO) test -count=1 -timeout 30m ./...; \
	fi
	$(GO) build -o /dev/null .

check-generated:
	$(SQLC) diff
	$(SQLC) vet

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

race-supported:
	@[ "$$($(GO) env CGO_ENABLED)" = 1 ] && command -v gcc >/dev/null
