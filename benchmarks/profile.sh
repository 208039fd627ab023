#!/usr/bin/env bash
# Where the CPU time of a request goes: fastsession and its peers profiled with
# async-profiler on the load benchmark's workloads. Replaces the section
# "Where the time goes" of docs/benchmarks.md.
#
#   benchmarks/profile.sh                         every application (about 15 minutes)
#   benchmarks/profile.sh --apps fastsession-memory,webflux-memory
#   benchmarks/profile.sh --smoke --output /tmp/profile.md
#
# Needs what benchmarks/run.sh needs (wrk, redis-server) and Linux on x86-64; async-profiler
# comes from Maven Central (tools.profiler:async-profiler). Every process it starts is
# stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.2
dir=benchmarks/target/async-profiler-$version
agent=$dir/linux-x64/libasyncProfiler.so
if [[ ! -f $agent ]]; then
	./mvnw -q -B -ntp dependency:copy -Dartifact=tools.profiler:async-profiler:$version:jar:linux-x64 \
		-DoutputDirectory="$dir" -Dmdep.stripVersion=true
	(cd "$dir" && unzip -q -o async-profiler-linux-x64.jar 'linux-x64/*')
fi
command -v wrk >/dev/null || { echo "[profile] please install wrk (or run benchmarks/run.sh once, which does)" >&2; exit 1; }

if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
	./mvnw -q -B -ntp -DskipTests package -pl benchmarks/peer-app -am
fi

command="benchmarks/profile.sh${*:+ $*}"
exec python3 benchmarks/profile.py --agent "$PWD/$agent" --command "$command" "$@"
