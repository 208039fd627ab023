#!/usr/bin/env bash
# The benchmark: fastsession on every provider next to no sessions, WebFlux's in-memory
# WebSession and Spring Session's reactive Redis repository, plus JMH microbenchmarks and the
# memory footprint. Writes docs/benchmarks.md and docs/benchmarks.png.
#
#   benchmarks/run.sh            the full run (about two hours on 2 cores, estimated; --apps narrows it)
#   benchmarks/run.sh --smoke    seconds: checks that the benchmark still works (CI runs it)
#   benchmarks/run.sh --memory-only   memory per session alone (under a minute)
#   benchmarks/run.sh --apps fastsession-redis,spring-session-redis --duration 30
#
# Needs: a JDK, redis-server, memcached, the local PostgreSQL and MariaDB, wrk and gnuplot
# (installed from Debian's packages when missing and run as root). Every process it starts is
# stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
command -v memcached >/dev/null || missing+=(memcached)
if ((${#missing[@]})); then
	if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
		echo "[bench] installing ${missing[*]}" >&2
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	else
		echo "[bench] please install: ${missing[*]}" >&2
		exit 1
	fi
fi

if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
	./mvnw -q -B -ntp -DskipTests package -pl fastsession-sample,benchmarks/peer-app,benchmarks/jmh -am
fi

command="benchmarks/run.sh${*:+ $*}"
exec python3 benchmarks/run.py --command "$command" "$@"
