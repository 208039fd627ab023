#!/usr/bin/env python3
"""A change's effect: two builds of the peer application, paired, on the same workloads.

A difference of a few percent is below the spread of the load benchmark's rounds on this
shared machine, but it shows in pairs: both jars are up together (on fastsession's memory
or Redis provider), warmed up in turn, then measured in rounds, each round one short run of
each jar seconds apart, the order swapped every round. The median of the per-round ratios
(new / base) is the change's effect. Run the same jar on both sides first (an A/A pair):
its ratios show how far the two slots differ on their own.

    cp benchmarks/peer-app/target/peer-app.jar /tmp/base.jar   # before the change
    ./mvnw -q -DskipTests install -pl benchmarks/peer-app -am  # after it
    python3 benchmarks/ab.py --base /tmp/base.jar --provider redis --workloads get,post
    python3 benchmarks/ab.py --base /tmp/base.jar --new /tmp/base.jar   # A/A

Needs wrk, and redis-server for --provider redis (started on a free port and stopped by PID).
"""
import argparse
import os
import statistics
import tempfile

import run


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the peer application's jar before the change")
    parser.add_argument("--new", default=run.PEER_JAR, help="the jar after it (default: the one built here)")
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
        apps = [run.App(key, key, jar, run.PEER_FASTSESSION + provider, backend=backend)
                for key, jar in (("base", args.base), ("new", args.new))]
        cookies = {}
        for app in apps:
            app.start(log_dir, 0)
            cookies[app.key] = run.cookie_files(app, args.sessions, log_dir, app.key)
        for app in apps:
            run.prewarm(app, args.prewarm, args.connections, *cookies[app.key])
        print("| workload | new / base, median | per round | base req/s, median |")
        print("|---|---:|---|---:|")
        for workload in workloads:
            rps = {app.key: [] for app in apps}
            for number in range(args.rounds):
                for app in (apps if number % 2 == 0 else apps[::-1]):
                    many, hot = cookies[app.key]
                    result = run.wrk(app, workload, args.window, args.connections, hot if workload == "hot" else many)
                    if result["unanswered"]:
                        raise SystemExit("%s: %d requests without an answer" % (app.key, result["unanswered"]))
                    rps[app.key].append(result["rps"])
            ratios = [new / base for new, base in zip(rps["new"], rps["base"])]
            print("| %s | %.3f | %s | %.0f |" % (workload, statistics.median(ratios),
                                                 " ".join("%.2f" % r for r in ratios), statistics.median(rps["base"])),
                  flush=True)
    finally:
        run.stop_all()


if __name__ == "__main__":
    main()
