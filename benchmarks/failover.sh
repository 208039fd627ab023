#!/usr/bin/env bash
# The failover section of docs/benchmarks.md: what losing a node costs on each networked
# provider, measured by the failover tests of fastsession-sample (a Redis Cluster master killed,
# one of two memcached nodes lost in each node-failure mode, PostgreSQL cut off behind a proxy),
# here with a longer tail after the recovery. Draws docs/benchmarks-failover.png and rewrites that
# section only; the rest of docs/benchmarks.md is benchmarks/run.sh's.
#
#   benchmarks/failover.sh                       about 4 minutes
#   benchmarks/failover.sh --output /tmp/b.md    somewhere else
#
# Needs: a JDK, redis-server and redis-cli, memcached, the local PostgreSQL (as .ci/services
# expects it) and gnuplot (installed from Debian's packages when missing and run as root). The
# tests start and stop every server and application they use, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v gnuplot >/dev/null; then
	if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
		echo "[failover] installing gnuplot-nox" >&2
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null
	else
		echo "[failover] please install gnuplot" >&2
		exit 1
	fi
fi
export FASTSESSION_TEST_POSTGRES_URL=${FASTSESSION_TEST_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test}
export FASTSESSION_TEST_POSTGRES_USER=${FASTSESSION_TEST_POSTGRES_USER:-postgres}

rm -rf fastsession-sample/target/failover
./mvnw -q -B -ntp verify -pl fastsession-sample -am -Dspring-javaformat.skip=true \
	-Dtest='RedisClusterFailoverTests,MemcachedFailoverTests,PostgresFailoverTests' \
	-Dsurefire.failIfNoSpecifiedTests=false -Dfailover.after-ms=5000

command="benchmarks/failover.sh${*:+ $*}"
exec python3 benchmarks/failover.py --input fastsession-sample/target/failover --command "$command" "$@"
