# clinaudit: `make help` lists the targets.
SHELL := /bin/bash
# Evaluated once (:=), with a fixed hash length, so that two builds of one
# commit stamp the same version (make check-reproducible).
ifeq ($(origin VERSION),undefined)
VERSION := $(shell git describe --always --dirty --abbrev=12 2>/dev/null || echo dev)
endif
LDFLAGS := -s -w -X clinaudit/app/cli.Version=$(VERSION)
# Reproducible: no cgo, no local paths (-trimpath), no VCS stamp (-buildvcs=false:
# it would depend on whether the builder has .git); the version comes from LDFLAGS.
GOBUILD = CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags '$(LDFLAGS)'
# Every target uses exactly the toolchain go.mod names (the standard library
# ships inside our binary, so its security fixes are a pin like any module's);
# go fetches it once from the module proxy when the installed go is another.
export GOTOOLCHAIN := $(shell sed -n 's/^toolchain //p' go.mod)
SQLC_VERSION := v1.31.1
SQLC := $(shell command -v sqlc 2>/dev/null || echo $(HOME)/go/bin/sqlc)
# Supply-chain tools and the offline vulnerability database (docs/security.md),
# pinned here and built once into a cache outside the repository, one
# directory per version.
GOVULNCHECK_VERSION := v1.10.0
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
CYCLONEDX_GOMOD_VERSION := v1.10.0
# The API's server interface and types come from app/api/openapi.yaml.
OAPI_CODEGEN_VERSION := v2.8.2
TOOLS_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/clinaudit
GOVULNCHECK := $(TOOLS_CACHE)/govulncheck-$(GOVULNCHECK_VERSION)/govulncheck
CYCLONEDX_GOMOD := $(TOOLS_CACHE)/cyclonedx-gomod-$(CYCLONEDX_GOMOD_VERSION)/cyclonedx-gomod
OAPI_CODEGEN := $(TOOLS_CACHE)/oapi-codegen-$(OAPI_CODEGEN_VERSION)/oapi-codegen
VULNDB := $(TOOLS_CACHE)/vulndb-$(VULNDB_VERSION)
# -race also turns on checkptr (the compiler's checks of unsafe.Pointer
# conversions) in every package. In modernc.org's SQLite, C translated to Go
# with unsafe pointers on every row, those checks took half the CPU of the
# SQLite tests; they are off there only, and checkptr stays on for the rest.
# The translated C itself (sqlite/lib, libc) is also not instrumented for the
# race detector, as a cgo SQLite never is: that was another half, and no
# test of ours reads it. Our code, the driver (modernc.org/sqlite) and every
# other package are instrumented as before.
RACE_GCFLAGS := -gcflags='modernc.org/...=-d=checkptr=0' \
	-gcflags='modernc.org/sqlite/lib=-d=checkptr=0 -race=false' \
	-gcflags='modernc.org/libc/...=-d=checkptr=0 -race=false'
TEST_DATABASE_URL ?= postgres://root@127.0.0.1:5432/test?sslmode=disable
export TEST_DATABASE_URL

.PHONY: help build run test test-sqlite test-pg test-faults bench bench-kpi bench-forms bench-aggregate bench-save-sidebyside load-forms load-during-recalc lint generate precompress check-generated tools assets soak vulncheck sbom check-reproducible clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

build: ## build the static binary into bin/clinaudit (reproducible: make check-reproducible)
	$(GOBUILD) -o bin/clinaudit ./app/cmd/clinaudit

run: build ## run the app on the embedded SQLite file with demo data
	./bin/clinaudit serve --demo

test: ## run every test; the PostgreSQL half skips (saying so) when no server answers, unless REQUIRE_POSTGRES=1 or CI=true
	@go run ./tools/testprobe
	go test -race $(RACE_GCFLAGS) -count=1 -timeout 30m ./...

test-sqlite: ## run the tests on SQLite only
	TEST_DATABASE_URL=postgres://nobody@127.0.0.1:1/none go test -count=1 ./...

FAULT_KILLS ?= 3
test-faults: ## the fault tests of the real binary on both engines (app/faults): SIGKILL under load FAULT_KILLS times, SIGTERM under load; about 5 minutes (FAULT_KILLS=1: the short run CI does)
	CLINAUDIT_FAULTS=1 CLINAUDIT_FAULT_KILLS=$(FAULT_KILLS) go test -count=1 -v -timeout 20m ./app/faults/

.PHONY: test-instances
test-instances: ## fault test (issue #23), a few minutes, needs PostgreSQL: two serve --workers=0 and two worker processes of the real binary on one throwaway database behind a round-robin proxy; sessions, sign-in lockouts, periodic jobs, a worker killed, acknowledged saves (docs/operations.md)
	CLINAUDIT_FAULTS=1 REQUIRE_POSTGRES=1 go test -count=1 -v -timeout 10m -run '^TestManyInstancesOnPostgres$$' ./app/faults/

.PHONY: test-db-restart
test-db-restart: ## run before a release, as root: stop and start this machine's PostgreSQL cluster under load; saves must answer 503 + Retry-After, /readyz 503, and everything recover by itself with nothing acknowledged lost
	scripts/test-db-restart.sh

bench: ## run the Go benchmarks (figures go in docs/performance.md)
	go test -run '^$$' -bench . -benchmem ./...

bench-kpi: ## recalculate every child's KPIs over 100,000 complete children (KPI_BENCH_CHILDREN=…), both engines, with the read and scoring baselines; about 10 minutes
	KPI_BENCH_CHILDREN=$${KPI_BENCH_CHILDREN:-100000} go test -run '^$$' -bench 'Recalculate' -benchtime 1x -timeout 30m ./app/answers/

bench-forms: ## load the audit-form save path over loopback HTTP at 16 and 64 clinicians, both engines, with the direct-database baseline
	go test -run '^$$' -bench 'AnswerSave' -benchtime 2000x ./app/web

AGG_BENCH_CHILDREN ?= 100000,1000000
bench-aggregate: ## one full KPI aggregation run over 100,000 and 1,000,000 synthetic children (AGG_BENCH_CHILDREN=…), both engines, with the single-GROUP BY baselines; about 15 minutes
	set -o pipefail; AGG_BENCH_CHILDREN=$(AGG_BENCH_CHILDREN) go test -run '^$$' -bench 'Aggregate' -benchtime 3x -timeout 60m -v ./app/aggregate/ | grep -E 'ns/op|generated|counted'

LOAD_ADDR ?= 127.0.0.1:18181
load-forms: build ## save audit answers over HTTP in a closed loop against serve --demo on a throwaway SQLite file: 16 clinicians, 20 s (ARGS='-clinicians 64 -duration 30s'; LOAD_DATABASE_URL=postgres://… for a throwaway PostgreSQL database)
	@dir=$$(mktemp -d); \
	./bin/clinaudit serve --demo --addr $(LOAD_ADDR) --base-url http://$(LOAD_ADDR) --database-url "$${LOAD_DATABASE_URL:-sqlite:$$dir/load.db}" --log-format json >"$$dir/serve.log" 2>&1 & pid=$$!; \
	go run ./tools/loadforms -url http://$(LOAD_ADDR) $(ARGS); status=$$?; \
	kill $$pid; wait $$pid; [ $$status -eq 0 ] || tail -n 20 "$$dir/serve.log"; rm -rf "$$dir"; exit $$status

load-during-recalc: ## saves at a clinician's pace (-think 1s, 16 and 64 clinicians) on SQLite while a recalculation of 100,000 children and a full KPI aggregation run, against quiet saves (scripts/load-during-recalc.sh; CHILDREN=, CLINICIANS=, DURATION=, RECALC=0 for the aggregation alone)
	scripts/load-during-recalc.sh

# The baselines (bare Fiber on each engine, the Django peer) live beside the
# checkout; run_product.sh writes beside itself, so it runs on a copy.
BENCH_DIR ?= ../shared/bench
BENCH_REPS ?= 3
BENCH_SECONDS ?= 20
bench-save-sidebyside: ## the save path side by side in one run: clinaudit on both engines against the bare stack and Django (BENCH_DIR's run_product.sh, BENCH_REPS x BENCH_SECONDS), then the table with ratios (tools/benchtable); one-time setup in docs/performance.md
	@[ -f "$(BENCH_DIR)/scripts/run_product.sh" ] || { echo "no baselines at BENCH_DIR=$(BENCH_DIR) (a worktree: BENCH_DIR=/work/shared/bench)"; exit 1; }
	@dir=$$(mktemp -d /tmp/bench-save.XXXXXX); cp -r $(BENCH_DIR)/. $$dir/; rm -rf $$dir/results $$dir/data; \
	bash $$dir/scripts/run_product.sh $(BENCH_REPS) $(BENCH_SECONDS) "$(CURDIR)" && \
	go run ./tools/benchtable $$dir/results && echo "raw logs: $$dir/results"

DURATION ?= 30m
soak: build ## 16 clinicians at a clinician's pace (-think 1s) against serve --demo with the periodic jobs on, on SQLite and a throwaway PostgreSQL database at once, for DURATION (30m); RSS every 10 s, p99 by minute, errors (scripts/soak.sh; run before a release)
	DURATION=$(DURATION) scripts/soak.sh

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	go vet ./...

tools: $(OAPI_CODEGEN) ## install sqlc (needs cgo, so installed as a tool, not a module dependency) and oapi-codegen
	@[ -x "$(SQLC)" ] || go install github.com/sqlc-dev/sqlc/cmd/sqlc@$(SQLC_VERSION)

$(OAPI_CODEGEN):
	GOBIN=$(@D) go install github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@$(OAPI_CODEGEN_VERSION)

generate: tools ## regenerate the case list's and the KPI aggregation's per-measure queries, the sqlc query code, the store's row types (checked identical across engines) and both adapters (docs/store.md)
	go run ./app/store/internal/listgen
	go run ./app/store/internal/measuregen
	$(SQLC) generate
	go run ./app/store/internal/adaptergen
	$(OAPI_CODEGEN) -config app/api/oapi-codegen.yaml app/api/openapi.yaml

precompress: ## compress the static assets (gzip and brotli, best levels) into static/precompressed, which the binary embeds; rerun and commit after changing any asset
	go run ./static/internal/precompress

check-generated: generate precompress ## fail when generated code or the precompressed assets are stale (regenerates, then asks git)
	@git diff --exit-code --stat -- app/store app/api queries static/precompressed || { echo "generated code was stale: run make generate precompress and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- app/store app/api queries static/precompressed)" || { echo "make generate precompress created files that are not committed:"; git status --porcelain -- app/store app/api queries static/precompressed; exit 1; }

vulncheck: $(GOVULNCHECK) $(VULNDB)/index/modules.json ## govulncheck ./... against the pinned offline Go vulnerability database; fails when our code calls a vulnerable symbol
	$(GOVULNCHECK) -db file://$(VULNDB) ./...

$(GOVULNCHECK):
	GOBIN=$(@D) go install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)

$(VULNDB)/index/modules.json:
	scripts/vulndb.sh $(VULNDB_VERSION) $(VULNDB)

sbom: build $(CYCLONEDX_GOMOD) ## CycloneDX SBOM of the modules built into bin/clinaudit, written to bin/clinaudit.cdx.json
	$(CYCLONEDX_GOMOD) bin -json -std -noserial -notimestamp -version $(VERSION) -output bin/clinaudit.cdx.json bin/clinaudit

$(CYCLONEDX_GOMOD):
	GOBIN=$(@D) go install github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@$(CYCLONEDX_GOMOD_VERSION)

check-reproducible: ## build twice, the second time elsewhere with an empty build cache, and fail unless the binaries are byte-identical
	@dir=$$(mktemp -d); trap 'chmod -R u+w "$$dir"; rm -rf "$$dir"' EXIT; \
	$(GOBUILD) -o "$$dir/a/clinaudit" ./app/cmd/clinaudit && \
	GOCACHE="$$dir/gocache" $(GOBUILD) -o "$$dir/b/clinaudit" ./app/cmd/clinaudit && \
	(cd "$$dir" && sha256sum a/clinaudit b/clinaudit) && \
	{ cmp -s "$$dir/a/clinaudit" "$$dir/b/clinaudit" || { echo "two builds of $(VERSION) differ: the build is not reproducible"; exit 1; }; } && \
	echo "reproducible: two builds of $(VERSION) are byte-identical"

assets: ## re-vendor the pinned front-end packages from the npm registry into static/vendor
	scripts/vendor-assets.sh

clean: ## remove build output and the local database
	rm -rf bin data
