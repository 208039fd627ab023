#!/usr/bin/env python3
"""A change's effect: two builds or two setups of the peer application, paired.

A difference of a few percent is below the spread of the load benchmark's rounds on this
shared machine, but it shows in pairs: both sides are up together, warmed up in turn, then
measured in rounds, each round one short run of each side seconds apart, the order swapped
every round. The median of the per-round ratios (new / base) is the difference. Run the
same side twice first (an A/A pair): its ratios show how far the two slots differ on their
own. Each round also gives each side's CPU time per request (the JVM's, from /proc): a
second view of the same rounds, which falls when a change helps (a ratio below 1). On this
machine its rounds spread about as widely as those of throughput (an A/A pair, 1 December:
0.86-1.07 against 0.95-1.14), so it is no shortcut to fewer rounds.

A side is a jar and a setup: `fastsession` (the counter on fastsession's memory or Redis
provider, as run.py's peer-fastsession apps), `ceiling` (no sessions, one argument, as
run.py's no-session-arg) or `filter-only` (the ceiling's handler with fastsession's
auto-configuration on: its filter runs on every request, and no handler asks for the
session) or `webflux` (WebFlux's in-memory `WebSession`, as run.py's webflux-memory) or
`spring-session` (Spring Session's reactive Redis repository, as run.py's spring-session-redis;
with --provider redis, on the same Redis).

Where the CPU goes: each round also reads, around each side's run, the CPU time of the Redis
server (with --provider redis), of wrk and of the whole machine (/proc/stat), and a second table
gives their medians per request. On a machine that the run saturates, requests per second
follow the whole machine's CPU per request, the application's share of it and the rest
(the Redis server, wrk, the kernel's part of each connection) alike.

    cp benchmarks/peer-app/target/peer-app.jar /tmp/base.jar   # before the change
    ./mvnw -q -DskipTests install -pl benchmarks/peer-app -am  # after it
    python3 benchmarks/ab.py --base /tmp/base.jar --provider redis --workloads get,post
    python3 benchmarks/ab.py --base /tmp/base.jar --new /tmp/base.jar   # A/A
    python3 benchmarks/ab.py --base-setup ceiling --new-setup filter-only --workloads anon
    python3 benchmarks/ab.py --provider redis --new-args=--spring.some.property=value
    python3 benchmarks/ab.py --provider redis --base-setup spring-session --workloads get,post

Needs wrk, and redis-server for --provider redis (started on a free port and stopped by PID).
"""
import argparse
import os
import resource
import statistics
import tempfile

import run


SETUPS = {
    "fastsession": run.PEER_FASTSESSION,
    "ceiling": ["--bench.mode=none-arg"] + run.PEER_NO_SESSION_LIBRARY,
    "filter-only": ["--bench.mode=none-arg", "--spring.autoconfigure.exclude=" + run.SPRING_SESSION_AUTOCONFIG],
    "webflux": ["--bench.mode=webflux"] + run.PEER_NO_SESSION_LIBRARY,
    "spring-session": ["--bench.mode=spring-session", "--spring.session.data.redis.repository-type=default",
                       "--spring.autoconfigure.exclude=" + run.FASTSESSION_AUTOCONFIG],
}


def side(key, jar, setup, provider, backend, extra):
    if setup == "fastsession":
        return run.App(key, key, jar, SETUPS[setup] + provider + extra, backend=backend)
    if setup == "spring-session":
        # Spring Session on the same Redis as fastsession's side: the provider's arguments
        # minus the provider itself.
        return run.App(key, key, jar, SETUPS[setup] + provider[1:] + extra, backend=backend, fastsession=False)
    if setup == "webflux":
        # WebFlux's in-memory WebSession, with sessions of its own, as run.py's webflux-memory.
        return run.App(key, key, jar, SETUPS[setup] + extra, fastsession=False)
    # Without a session in play: made-up cookies of the same size, as run.py gives the ceiling.
    return run.App(key, key, jar, SETUPS[setup] + (provider if setup == "filter-only" else []) + extra,
                   fastsession=False, sessions=False)


PARTS = {"app": "application", "redis": "Redis server", "wrk": "wrk", "machine": "machine"}


def cpu_now(app, backend):
    """CPU seconds so far of the application, the Redis server (if any), wrk (this script's
    finished children) and the machine."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    now = {"app": app.cpu_seconds(), "wrk": children.ru_utime + children.ru_stime,
           "machine": run.machine_cpu_seconds()}
    if isinstance(backend, run.Redis):
        now["redis"] = backend.cpu_seconds()
    return now


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default=run.PEER_JAR, help="the base side's jar (default: the one built here)")
    parser.add_argument("--new", default=run.PEER_JAR, help="the new side's jar (default: the one built here)")
    parser.add_argument("--base-setup", default="fastsession", choices=sorted(SETUPS))
    parser.add_argument("--new-setup", default="fastsession", choices=sorted(SETUPS))
    parser.add_argument("--base-args", default="", help="more arguments of the base side's application, "
                        "space-separated (--some.property=value ...)")
    parser.add_argument("--new-args", default="", help="more arguments of the new side's application")
    parser.add_argument("--provider", default="memory", choices=["memory", "redis"])
    parser.add_argument("--workloads", default="get,anon", help="comma-separated: post, get, anon, hot")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--window", type=int, default=5, help="seconds of each measured run")
    parser.add_argument("--prewarm", type=int, default=20, help="seconds of each workload before the rounds")
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    workloads = [w for w in args.workloads.split(",") if w]
    unknown = [w for w in workloads if w not in dict(run.WORKLOADS)]
    if unknown:
        parser.error("unknown workloads: " + ", ".join(unknown))
    if "spring-session" in (args.base_setup, args.new_setup) and args.provider != "redis":
        parser.error("the spring-session setup needs --provider redis")
    for jar in (args.base, args.new):
        if not os.path.exists(jar):
            raise SystemExit("missing " + jar)
    log_dir = tempfile.mkdtemp(prefix="fastsession-ab-")
    run.log("logs in " + log_dir)
    try:
        backend = run.Redis(log_dir) if args.provider == "redis" else None
        provider = ["--fastsession.provider=" + args.provider]
        if backend is not None:
            provider.append("--spring.data.redis.url=redis://127.0.0.1:%d" % backend.port)
        apps = [side(key, jar, setup, provider, backend, extra.split())
                for key, jar, setup, extra in (("base", args.base, args.base_setup, args.base_args),
                                               ("new", args.new, args.new_setup, args.new_args))]
        cookies = {}
        for app in apps:
            app.start(log_dir, 0)
            cookies[app.key] = run.cookie_files(app, args.sessions, log_dir, app.key)
        for app in apps:
            run.prewarm(app, args.prewarm, args.connections, *cookies[app.key])
        print("| workload | req/s new / base, median | per round | CPU/req new / base, median | per round "
              "| base req/s, median | base CPU µs/req, median |")
        print("|---|---:|---|---:|---|---:|---:|")
        costs = []
        for workload in workloads:
            rps = {app.key: [] for app in apps}
            cpu = {app.key: {part: [] for part in PARTS} for app in apps}
            for number in range(args.rounds):
                for app in (apps if number % 2 == 0 else apps[::-1]):
                    many, hot = cookies[app.key]
                    before = cpu_now(app, backend)
                    result = run.wrk(app, workload, args.window, args.connections, hot if workload == "hot" else many)
                    after = cpu_now(app, backend)
                    if result["unanswered"]:
                        raise SystemExit("%s: %d requests without an answer" % (app.key, result["unanswered"]))
                    rps[app.key].append(result["rps"])
                    for part in PARTS:
                        if part in before:
                            cpu[app.key][part].append((after[part] - before[part]) * 1e6 / max(result["requests"], 1))
            ratios = [new / base for new, base in zip(rps["new"], rps["base"])]
            cpu_ratios = [new / base for new, base in zip(cpu["new"]["app"], cpu["base"]["app"])]
            print("| %s | %.3f | %s | %.3f | %s | %.0f | %.1f |" % (
                workload, statistics.median(ratios), " ".join("%.2f" % r for r in ratios),
                statistics.median(cpu_ratios), " ".join("%.2f" % r for r in cpu_ratios),
                statistics.median(rps["base"]), statistics.median(cpu["base"]["app"])), flush=True)
            costs.append((workload, cpu))
        print()
        print("CPU µs per request, median of the rounds (base · new); the machine's is every process's "
              "and the kernel's together:")
        print()
        print("| workload | " + " | ".join(PARTS[part] for part in PARTS if costs[0][1]["base"][part]) + " |")
        print("|---|" + "---:|" * sum(1 for part in PARTS if costs[0][1]["base"][part]))
        for workload, cpu in costs:
            cells = ["%.1f · %.1f" % (statistics.median(cpu["base"][part]), statistics.median(cpu["new"][part]))
                     for part in PARTS if cpu["base"][part]]
            print("| %s | %s |" % (workload, " | ".join(cells)))
    finally:
        run.stop_all()


if __name__ == "__main__":
    main()
