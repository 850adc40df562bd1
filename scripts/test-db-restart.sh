#!/bin/sh
# Stops and starts this machine's PostgreSQL cluster under load and checks
# that clinaudit rides it out: saves answer 503 with Retry-After (never 500),
# /readyz says 503 meanwhile, serve and River recover by themselves within
# seconds, and every acknowledged save is in the database with its trail row.
# The same test as the one CI runs through a TCP proxy
# (TestPostgresOutageRecovers, app/cli/outage_test.go), with a real restart.
#
# Run before a release (make test-db-restart), as root, on a machine whose
# PostgreSQL nothing else is using: every other connection to it is cut.
# PG_CLUSTER=16/main picks the cluster when /etc/postgresql has several.
set -eu
if [ "$(id -u)" != 0 ]; then
	echo "test-db-restart: needs root (pg_ctlcluster stops and starts the cluster)" >&2
	exit 2
fi
if ! command -v pg_ctlcluster >/dev/null; then
	echo "test-db-restart: pg_ctlcluster not found (Debian/Ubuntu postgresql-common)" >&2
	exit 2
fi
echo "test-db-restart: this stops the machine's PostgreSQL for about 5 seconds"
CLINAUDIT_REAL_DB_RESTART=1 REQUIRE_POSTGRES=1 exec go test -count=1 -v -run '^TestPostgresOutageRecovers$' ./app/cli/
