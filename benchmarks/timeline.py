#!/usr/bin/env python3
"""Throughput of one application JVM over time, window by window.

The load benchmark (run.py) gives one number per application and round; this shows how a
single JVM's throughput moves between short windows after the same start as run.py's (the
sessions created, every workload pre-warmed), which is how the JIT phases of the memory
targets were found. Extra JVM options go through, so the same run can log compilations;
--read-metrics makes the requests run.py makes around each measured run.

    python3 benchmarks/timeline.py --app peer-fastsession-memory --workloads post,hot --windows 24
    python3 benchmarks/timeline.py --app webflux-memory --jvm-opt=-XX:+PrintCompilation

Needs the peer application's jar (benchmarks/run.sh builds it) and wrk. The application's log
(and with it what the JVM options print) stays in the log directory named at the start.
"""
import argparse
import os
import tempfile
import time

import run


def main():
    apps = {app.key: app for app in run.peer_memory_apps()}
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", default=run.MEMORY, choices=sorted(apps))
    parser.add_argument("--workloads", default="post", help="comma-separated: post, get, anon, hot; taken in turn")
    parser.add_argument("--windows", type=int, default=12, help="windows per workload")
    parser.add_argument("--window", type=int, default=5, help="seconds per window")
    parser.add_argument("--prewarm", type=int, default=10, help="seconds of each workload before the first window")
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--read-metrics", action="store_true",
                        help="read the counters run.py reads (the metrics endpoint) before each window, as its "
                             "measured runs do; the first read alone slowed the window after it")
    parser.add_argument("--jvm-opt", action="append", default=[], help="an extra JVM option (repeatable)")
    args = parser.parse_args()
    app = apps[args.app]
    workloads = [w for w in args.workloads.split(",") if w]
    unknown = [w for w in workloads if w not in dict(run.WORKLOADS) or (w == "hot" and not app.sessions)]
    if unknown:
        parser.error("workloads %s are not run on %s" % (", ".join(unknown), app.key))
    if not os.path.exists(run.PEER_JAR):
        raise SystemExit("missing %s: run benchmarks/run.sh, which builds it" % run.PEER_JAR)
    run.JVM_OPTS = run.JVM_OPTS + args.jvm_opt
    log_dir = tempfile.mkdtemp(prefix="fastsession-timeline-")
    run.log("logs in " + log_dir)
    started = time.monotonic()
    app.start(log_dir, 0)
    try:
        many, hot = run.cookie_files(app, args.sessions, log_dir, app.key)
        # As run.py starts a round, except that the metrics are not read before the pre-warm:
        # with --read-metrics the first read falls before the first window, as it fell before
        # the first measured run until run.py read them in the warm-up.
        run.prewarm(app, args.prewarm, args.connections, many, hot)
        print("| s since start | workload | req/s | app CPU µs/req |")
        print("|---:|---|---:|---:|")
        for _ in range(args.windows):
            for workload in workloads:
                if args.read_metrics:
                    app.store_calls()
                    app.stored_sessions()
                    time.sleep(0.3)
                cpu = app.cpu_seconds()
                result = run.wrk(app, workload, args.window, args.connections, hot if workload == "hot" else many)
                cpu = app.cpu_seconds() - cpu
                print("| %.0f | %s | %.0f | %.1f |" % (time.monotonic() - started, workload, result["rps"],
                                                       cpu * 1e6 / max(result["requests"], 1)), flush=True)
                if result["unanswered"]:
                    raise SystemExit("%d requests without an answer" % result["unanswered"])
    finally:
        run.stop_all()


if __name__ == "__main__":
    main()
