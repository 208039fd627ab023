#!/usr/bin/env python3
"""Where the CPU time of one request goes, for fastsession and its peers.

Started by benchmarks/profile.sh, which builds the jars and fetches async-profiler. Each
application runs alone, with the same sessions and requests as benchmarks/run.py; after the
warm-up settles, one run measures the process's CPU time per request without the profiler,
a second one samples it with async-profiler (CPU, 1 ms). Every sampled stack is put in one
category by its innermost frame that names one (JDK, Reactor and Jackson frames name none:
they count for the code that called them), and the category's share of the samples times the
CPU per request gives microseconds per request. The table replaces the section
"## Where the time goes" of docs/benchmarks.md (or --output).
"""

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time

import run

# Categories by thread: the stacks of these threads count for them whatever they run.
GC_JIT = "GC, JIT compiler and VM threads"
WORKERS = "Reactor worker threads (boundedElastic, parallel)"
REDIS = "Redis client (Lettuce, Spring Data Redis)"
THREADS = [
    (GC_JIT, ("GC Thread", "VM Thread", "CompilerThread", "VM Periodic", "Service Thread", "Monitor Deflation",
              "G1 ", "Common-Cleaner", "Signal Dispatcher")),
    (REDIS, ("lettuce-",)),
    (WORKERS, ("boundedElastic-", "parallel-")),
]
# Then by frame: (category, fragments). A stack counts for the category of its innermost
# frame that contains one of the fragments, the first category in this order for a frame
# that matches several. JDK, Jackson and JVM frames match none and count for their caller.
CATEGORIES = [
    (REDIS, ("io/lettuce/", "org/springframework/data/redis/")),
    ("session id: SHA-256 key, encoding, validation", ("io/fastsession/id/", "sun/security/provider/",
                                                       "java/util/Base64", "java/security/MessageDigest")),
    ("attribute codec", ("io/fastsession/codec/",)),
    ("session store (Caffeine, WebFlux's map, Spring Session's repository)", (
        "io/fastsession/store/", "com/github/benmanes/caffeine/", "web/server/session/InMemoryWebSessionStore",
        "org/springframework/session/data/", "org/springframework/session/MapSession")),
    ("cookies: parsing the request's, writing Set-Cookie", (
        "AbstractServerHttpRequest.getCookies", "ReactorServerHttpRequest.initCookies", "io/netty/handler/codec/http/cookie/",
        "ReactorServerHttpResponse.applyCookies", "org/springframework/http/ResponseCookie", "HttpCookie")),
    ("session manager and its wiring (filter, commit, argument), own code", (
        "io/fastsession/", "org/springframework/web/server/session/", "org/springframework/session/")),
    ("metrics and observation (Micrometer)", ("io/micrometer/", "org/springframework/boot/micrometer/",
                                              "ServerHttpObservationFilter", "ObservationSignalListener")),
    ("handler argument resolution", ("InvocableHandlerMethod.getMethodArgumentValues", "ArgumentResolver")),
    ("JSON response body (Jackson, Spring's encoder)", (
        "org/springframework/http/codec/", "org/springframework/core/codec/", "AbstractMessageWriterResultHandler",
        "ResponseBodyResultHandler")),
    ("Reactor operators of every layer (assembly, subscription, signals)", ("reactor/core/", "reactor/util/")),
    ("Spring WebFlux: mapping, dispatch, adapters", ("org/springframework/",)),
    ("HTTP server (Reactor Netty, Netty, system calls)", ("reactor/netty/", "io/netty/", "libnetty_transport")),
]
OTHER = "other (JDK, JVM, kernel without a Java caller)"

# (key, label, mode arguments, uses the private Redis, workloads)
SUBJECTS = [
    ("fastsession-memory", "fastsession memory", ["--bench.mode=fastsession", "--fastsession.provider=memory"],
     False, ["post", "get", "anon"]),
    ("webflux-memory", "WebFlux in-memory WebSession", ["--bench.mode=webflux"], False, ["post", "get", "anon"]),
    ("no-session-arg", "no sessions, one argument", ["--bench.mode=none-arg"], False, ["get", "anon"]),
    ("fastsession-redis", "fastsession redis", ["--bench.mode=fastsession", "--fastsession.provider=redis"],
     True, ["post", "get"]),
    ("spring-session-redis", "Spring Session reactive Redis",
     ["--bench.mode=spring-session", "--spring.session.data.redis.repository-type=default"], True, ["post", "get"]),
]


def categorize(stack):
    frames = stack.split(";")
    if frames and frames[0].startswith("["):
        thread = frames[0]
        for name, fragments in THREADS:
            if any(fragment in thread for fragment in fragments):
                return name
        frames = frames[1:]
    for frame in reversed(frames):
        for name, fragments in CATEGORIES:
            if any(fragment in frame for fragment in fragments):
                return name
    return OTHER


def shares(collapsed_path):
    counts = collections.Counter()
    with open(collapsed_path) as f:
        for line in f:
            stack, _, samples = line.rstrip("\n").rpartition(" ")
            if stack:
                counts[categorize(stack)] += int(samples)
    total = sum(counts.values())
    return {name: count / total for name, count in counts.items()}, total


def attach(pid, agent, command):
    # jcmd splits its arguments at '=': the agent's options go in quotes.
    done = subprocess.run(["jcmd", str(pid), "JVMTI.agent_load", agent, '"%s"' % command], capture_output=True,
                          text=True, timeout=60)
    if done.returncode != 0 or "return code: 0" not in done.stdout:
        raise RuntimeError("async-profiler %s failed: %s %s" % (command, done.stdout, done.stderr))


def subject_app(subject, redis):
    key, label, mode_args, uses_redis, workloads = subject
    peer = run.SPRING_SESSION_AUTOCONFIG if "fastsession" in key else (
        run.FASTSESSION_AUTOCONFIG if "spring-session" in key else
        run.SPRING_SESSION_AUTOCONFIG + "," + run.FASTSESSION_AUTOCONFIG)
    extra = ["--spring.data.redis.url=redis://127.0.0.1:%d" % redis.port] if uses_redis else []
    return run.App(key, label, run.PEER_JAR, mode_args + ["--spring.autoconfigure.exclude=" + peer] + extra,
                   backend=redis if uses_redis else None, fastsession="fastsession" in key,
                   sessions=not key.startswith("no-session"))


def profile_group(subjects, args, log_dir, redis):
    """Profile the subjects that share a backend as run.py measures a group: all of them up
    at once, each warmed up in turn, then, workload by workload, each one measured and sampled
    in turn while the others wait, idle, so that the columns a target compares are seconds
    apart, not minutes. Returns {key: {workload: result}}."""
    if any(s[3] for s in subjects):
        redis.reset()
    apps = {s[0]: subject_app(s, redis) for s in subjects}
    results = {s[0]: {} for s in subjects}
    cookies = {}
    try:
        for subject in subjects:
            app = apps[subject[0]]
            app.start(log_dir, 0)
            cookies[subject[0]] = os.path.join(log_dir, "cookies-%s.txt" % subject[0])
            run.populate(app, args.sessions, cookies[subject[0]])
        for subject in subjects:
            for workload in subject[4]:
                run.settle(apps[subject[0]], workload, args, cookies[subject[0]])
        for workload, _ in run.WORKLOADS:
            for subject in subjects:
                if workload in subject[4]:
                    results[subject[0]][workload] = profile_one(subject, apps[subject[0]], workload, args, log_dir,
                                                                cookies[subject[0]])
    finally:
        for app in apps.values():
            app.stop()
    return results


def profile_one(subject, app, workload, args, log_dir, cookies):
    """One unprofiled run for the CPU per request, then one sampled by async-profiler."""
    key, label = subject[0], subject[1]
    time.sleep(0.3)
    cpu_before = app.cpu_seconds()
    measured = run.wrk(app, workload, args.duration, args.connections, cookies)
    cpu = app.cpu_seconds() - cpu_before
    collapsed = os.path.join(log_dir, "%s-%s.collapsed" % (key, workload))
    attach(app.proc.pid, args.agent, "start,event=cpu,threads,interval=%s" % args.interval)
    profiled = run.wrk(app, workload, args.duration, args.connections, cookies)
    attach(app.proc.pid, args.agent, "stop,file=%s,collapsed" % collapsed)
    fractions, samples = shares(collapsed)
    per_request = cpu * 1e6 / (measured["rps"] * args.duration)
    run.log("%-32s %-5s %8.0f req/s %6.1f us/req (%d samples)" % (label, workload, measured["rps"], per_request,
                                                                 samples))
    return {"rps": measured["rps"], "profiled_rps": profiled["rps"], "us": per_request, "fractions": fractions,
            "samples": samples, "errors": measured["errors"] + measured["unanswered"]}


def section(subjects, results, args, command):
    columns = [(subject, workload) for subject in subjects for workload in subject[4]
               if workload in results.get(subject[0], {})]
    names = [name for name, _ in CATEGORIES] + [WORKERS, GC_JIT, OTHER]
    lines = ["## Where the time goes", "",
             "CPU time of the application process per request, in microseconds, split by what the CPU was "
             "doing. The applications ran with %d sessions and a random one per request (the workloads "
             "of the load table: `post` writes, `get` reads with a cookie, `anon` reads without one), in two "
             "groups as in the load benchmark (the memory peers, then the Redis peers), each group's members up "
             "together and warmed up in turn; then, workload by workload, each member in turn, while the others "
             "waited idle, had one %d-s run without the profiler, which measured the CPU per request, and a "
             "second one sampled by async-profiler (CPU, %s, per thread). Samples of GC, JIT, Lettuce and Reactor "
             "worker threads count for those; any other sample counts for the innermost frame that names a "
             "category (JDK, Jackson and JVM frames name none and count for their caller), so the Reactor row is "
             "every layer's operators together, Spring's and fastsession's alike. The category's share of the "
             "samples times the CPU per request gives its row. Sampling slows the application (the last two "
             "rows), so the split is that of a slowed run: trust it for where the time goes, not for how much. "
             "On this shared machine the CPU per request of "
             "one application moves by up to a third between JVM runs (fastsession's memory write measured 46 "
             "and 34 µs half an hour apart: see the JIT phases in [the log of what was tried](benchmarks-history.md)): trust the split within a column more than small differences between "
             "columns." % (
                 args.sessions, args.duration, args.interval), "",
             "Command: `%s` (about 15 minutes; run on %s)." % (command, time.strftime("%Y-%m-%d")), ""]
    header = "| category | " + " | ".join("%s<br>`%s`" % (s[1], w) for s, w in columns) + " |"
    lines += [header, "|---|" + "---:|" * len(columns)]
    for name in names:
        cells = []
        for subject, workload in columns:
            r = results[subject[0]][workload]
            cells.append("%.1f" % (r["fractions"].get(name, 0.0) * r["us"]))
        lines.append("| %s | %s |" % (name, " | ".join(cells)))
    lines.append("| **CPU per request** | %s |" % " | ".join(
        "**%.1f**" % results[s[0]][w]["us"] for s, w in columns))
    lines.append("| requests per second (unprofiled run) | %s |" % " | ".join(
        "%.0f" % results[s[0]][w]["rps"] for s, w in columns))
    # Sampling slows the application (signals on every thread, stack walks): the split is that
    # of a slowed run, and this row shows by how much.
    lines.append("| requests per second (profiled run) | %s |" % " | ".join(
        "%.0f" % results[s[0]][w]["profiled_rps"] for s, w in columns))
    lines.append("")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agent", required=True, help="path of libasyncProfiler.so")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--settle", type=float, default=0.03)
    parser.add_argument("--min-warmup", type=int, default=30)
    parser.add_argument("--max-warmup", type=int, default=60)
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--interval", default="1ms")
    parser.add_argument("--apps", default="", help="comma-separated subjects (default: all)")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--output", default=os.path.join(run.ROOT, "docs/benchmarks.md"))
    parser.add_argument("--command", default="benchmarks/profile.sh")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.window, args.min_warmup, args.max_warmup, args.sessions = 1, 1, 1, 2, 50
    wanted = [a for a in args.apps.split(",") if a]
    subjects = [s for s in SUBJECTS if not wanted or s[0] in wanted]
    log_dir = tempfile.mkdtemp(prefix="fastsession-profile-")
    run.log("logs and profiles in " + log_dir)
    redis = None
    try:
        if any(s[3] for s in subjects):
            redis = run.Redis(log_dir)
        results = {}
        # The memory subjects, then the Redis ones: each group up together (profile_group).
        for group in ([s for s in subjects if not s[3]], [s for s in subjects if s[3]]):
            if group:
                results.update(profile_group(group, args, log_dir, redis))
        # Before the memory section, after the ratios.
        run.replace_section(args.output, "## Where the time goes", section(subjects, results, args, args.command),
                            before="## Memory per session")
        run.log("wrote the section 'Where the time goes' of " + args.output)
        failed = [s[0] for s in subjects for r in results[s[0]].values() if r["errors"]]
        if failed:
            raise SystemExit("requests failed or got no answer in: " + ", ".join(failed))
    finally:
        run.stop_all()


if __name__ == "__main__":
    sys.exit(main())
