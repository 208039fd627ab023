#!/usr/bin/env python3
"""Side-by-side load benchmark of fastsession, WebFlux's sessions and Spring Session.

Started by benchmarks/run.sh, which builds the jars and installs wrk and gnuplot. Every
server and application this script starts is recorded and stopped by PID, even on failure.
Results go to docs/benchmarks.md (and docs/benchmarks.png), or to --output.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import soak
import wrkout

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_JAR = os.path.join(ROOT, "fastsession-sample/target/fastsession-sample.jar")
PEER_JAR = os.path.join(ROOT, "benchmarks/peer-app/target/peer-app.jar")
JMH_JAR = os.path.join(ROOT, "benchmarks/jmh/target/benchmarks.jar")
JVM_OPTS = ["-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"]
SPRING_SESSION_AUTOCONFIG = ",".join([
    "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
    "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
])
FASTSESSION_AUTOCONFIG = ",".join([
    "io.fastsession.autoconfigure.FastSessionAutoConfiguration",
    "io.fastsession.autoconfigure.actuate.FastSessionActuatorAutoConfiguration",
])
WORKLOADS = [
    ("post", "POST /api/counter (cookie)"),
    ("get", "GET /api/counter (cookie)"),
    ("anon", "GET /api/counter (no cookie)"),
]
# Commands fastsession's Redis scripts run inside the server: not round trips.
REDIS_CLIENT_COMMANDS = {"hgetall", "evalsha", "eval", "del", "scan", "smembers", "exists", "srem"}

processes = []


def log(message):
    print("[bench] " + message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command, name, log_dir, env=None):
    out = open(os.path.join(log_dir, name + ".log"), "w")
    proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    processes.append(proc)
    return proc


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc in processes:
        processes.remove(proc)


def stop_all():
    for proc in list(processes):
        stop(proc)


def wait_until(check, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.2)
    raise RuntimeError("timed out waiting for " + what)


def http(method, url, cookie=None):
    request = urllib.request.Request(url, method=method)
    if cookie:
        request.add_header("Cookie", "SESSION=" + cookie)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def session_cookie(headers):
    for key, value in headers.items():
        if key.lower() == "set-cookie":
            match = re.match(r"SESSION=([^;]*)", value)
            if match:
                return match.group(1)
    return None


# --- backends -----------------------------------------------------------------------------


class Redis:
    def __init__(self, log_dir):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="bench-redis")
        self.proc = start(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                           "--appendonly", "no", "--dir", self.dir], "redis", log_dir)
        wait_until(lambda: self.cli("PING") == "PONG", 20, "redis")

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port)] + list(args), capture_output=True, text=True,
                              timeout=10).stdout.strip()

    def reset(self):
        self.cli("FLUSHALL")
        self.cli("CONFIG", "RESETSTAT")

    def stats(self):
        calls = {}
        for line in self.cli("INFO", "commandstats").splitlines():
            match = re.match(r"cmdstat_([a-z|]+):calls=(\d+)", line)
            if match and not match.group(1).startswith(("info", "config", "dbsize", "flushall", "ping")):
                calls[match.group(1)] = int(match.group(2))
        total = sum(calls.values())
        scripted = calls.get("evalsha", 0) + calls.get("eval", 0) > 0
        round_trips = sum(v for k, v in calls.items() if k in REDIS_CLIENT_COMMANDS) if scripted else total
        return {"ops": round_trips, "commands": total}

    def sessions(self):
        return int(self.cli("DBSIZE") or 0)


class Memcached:
    def __init__(self, log_dir):
        self.port = free_port()
        command = ["memcached", "-p", str(self.port), "-l", "127.0.0.1", "-U", "0", "-m", "256"]
        if os.geteuid() == 0:
            command += ["-u", "root"]
        self.proc = start(command, "memcached", log_dir)
        wait_until(lambda: "pid" in self.raw_stats(), 20, "memcached")

    def raw_stats(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(b"stats\r\n")
            data = b""
            while not data.endswith(b"END\r\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        return {m.group(1): m.group(2) for m in re.finditer(r"STAT (\S+) (\S+)", data.decode())}

    def reset(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(b"flush_all\r\n")
            s.recv(100)

    def stats(self):
        st = self.raw_stats()
        keys = ["cmd_get", "cmd_set", "cmd_touch", "cas_hits", "cas_misses", "cas_badval", "delete_hits",
                "delete_misses"]
        ops = sum(int(st.get(k, 0)) for k in keys)
        return {"ops": ops, "commands": ops}

    def sessions(self):
        return int(self.raw_stats().get("curr_items", 0))


class Postgres:
    def __init__(self):
        self.db = "fs_bench_%d" % os.getpid()
        self.psql("postgres", "CREATE DATABASE " + self.db)

    def psql(self, db, sql):
        return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", sql],
                              capture_output=True, text=True, timeout=30).stdout.strip()

    def url(self):
        return "jdbc:postgresql://127.0.0.1:5432/" + self.db

    def reset(self):
        self.psql(self.db, "DO $$ BEGIN IF to_regclass('fastsession_sessions') IS NOT NULL THEN "
                           "DELETE FROM fastsession_sessions; END IF; END $$")

    def stats(self):
        value = self.psql(self.db, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '%s'"
                          % self.db)
        return {"ops": int(value or 0), "commands": int(value or 0)}

    def sessions(self):
        return int(self.psql(self.db, "SELECT COUNT(*) FROM fastsession_sessions") or 0)

    def close(self):
        self.psql("postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.db)


class Mariadb:
    def __init__(self):
        self.db = "fs_bench_%d" % os.getpid()
        self.sql("CREATE DATABASE " + self.db)

    def sql(self, statement, db=None):
        command = ["mysql", "-h", "127.0.0.1", "-u", "root", "-N", "-B", "-e", statement]
        if db:
            command.insert(1, db)
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip()

    def url(self):
        return "jdbc:mysql://127.0.0.1:3306/" + self.db

    def reset(self):
        self.sql("DELETE FROM fastsession_sessions", self.db)

    def stats(self):
        out = self.sql("SHOW GLOBAL STATUS WHERE Variable_name IN "
                       "('Com_select','Com_insert','Com_update','Com_delete','Com_commit')")
        values = {line.split()[0]: int(line.split()[1]) for line in out.splitlines() if line.strip()}
        statements = sum(v for k, v in values.items() if k != "Com_commit")
        return {"ops": statements, "commands": statements}

    def sessions(self):
        return int(self.sql("SELECT COUNT(*) FROM fastsession_sessions", self.db) or 0)

    def close(self):
        self.sql("DROP DATABASE IF EXISTS " + self.db)


# --- applications -------------------------------------------------------------------------


class App:
    def __init__(self, key, label, jar, args, backend=None, fastsession=True):
        self.key = key
        self.label = label
        self.jar = jar
        self.args = args
        self.backend = backend
        self.fastsession = fastsession
        self.port = None
        self.proc = None
        self.cookie = None
        self.anon_set_cookie = False

    def start(self, log_dir):
        self.port = free_port()
        command = ["java"] + JVM_OPTS + ["-jar", self.jar, "--server.port=%d" % self.port,
                                          "--logging.level.root=WARN", "--spring.main.banner-mode=off"] + self.args
        self.proc = start(command, "app-" + self.key, log_dir)
        wait_until(lambda: http("GET", self.url("/api/counter"))[0] == 200, 90, self.label)

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def store_calls(self):
        """Calls fastsession made to its store, from its own metrics."""
        if not self.fastsession:
            return None
        status, _, body = http("GET", self.url("/actuator/metrics/fastsession.store.operations"))
        if status != 200:
            return 0
        for measurement in json.loads(body)["measurements"]:
            if measurement["statistic"] == "COUNT":
                return measurement["value"]
        return 0

    def stored_sessions(self):
        if self.backend is not None:
            return self.backend.sessions()
        if self.fastsession:
            status, _, body = http("GET", self.url("/actuator/metrics/fastsession.sessions.active"))
            if status == 200:
                return int(json.loads(body)["measurements"][0]["value"])
        return None


def wrk(url, method, cookie, seconds, connections, script_dir):
    script = os.path.join(script_dir, "request.lua")
    with open(script, "w") as f:
        f.write('wrk.method = "%s"\n' % method)
        if cookie:
            f.write('wrk.headers["Cookie"] = "SESSION=%s"\n' % cookie)
    out = subprocess.run(["wrk", "-t", "1", "-c", str(connections), "-d", "%ss" % seconds, "--latency",
                          "--timeout", wrkout.TIMEOUT, "-s", script, url], capture_output=True, text=True,
                         timeout=seconds + 60).stdout
    return wrkout.parse(out)


def prepare(app, log_dir):
    """Start an application and get a session cookie from it."""
    log("starting " + app.label)
    app.start(log_dir)
    status, headers, _ = http("POST", app.url("/api/counter"))
    app.cookie = session_cookie(headers)
    if status != 200 or (not app.cookie and app.key != "no-session"):
        raise RuntimeError("%s: POST /api/counter gave %s without a session cookie" % (app.label, status))
    _, anon_headers, _ = http("GET", app.url("/api/counter"))
    app.anon_set_cookie = session_cookie(anon_headers) is not None


def request_of(app, key):
    return ("POST" if key == "post" else "GET"), (None if key == "anon" else app.cookie)


def warm_up(app, args, log_dir):
    """Warm the JIT on every workload, twice, before anything is measured."""
    for _ in range(2):
        for key, _ in WORKLOADS:
            method, cookie = request_of(app, key)
            wrk(app.url("/api/counter"), method, cookie, args.warmup, args.connections, log_dir)


def measure(app, key, args, log_dir):
    """One measured run of one workload; counters are read around it."""
    method, cookie = request_of(app, key)
    time.sleep(0.3)
    sessions_before = app.stored_sessions() if key == "anon" else None
    backend_before = app.backend.stats() if app.backend is not None else None
    calls_before = app.store_calls()
    cpu_before = app.cpu_seconds()
    result = wrk(app.url("/api/counter"), method, cookie, args.duration, args.connections, log_dir)
    result["cpu"] = app.cpu_seconds() - cpu_before
    calls_after = app.store_calls()
    if calls_before is not None and calls_after is not None:
        result["calls"] = calls_after - calls_before
    if backend_before is not None:
        after = app.backend.stats()
        result["backend_ops"] = after["ops"] - backend_before["ops"]
        result["backend_commands"] = after["commands"] - backend_before["commands"]
    if key == "anon":
        time.sleep(1.5)
        after_sessions = app.stored_sessions()
        result["anon_sessions"] = (after_sessions - sessions_before) if (
            after_sessions is not None and sessions_before is not None) else None
    return result


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def summarize(app, runs):
    """Median throughput and latency over the rounds; per-request costs over all of them."""
    requests = sum(r["requests"] for r in runs)
    row = {"rps": median([r["rps"] for r in runs]), "p50": median([r["p50"] for r in runs]),
           "p99": median([r["p99"] for r in runs]), "requests": requests,
           "rounds": [r["rps"] for r in runs], "errors": sum(r["errors"] for r in runs),
           "unanswered": sum(r["unanswered"] for r in runs),
           "cpu_us": sum(r["cpu"] for r in runs) * 1e6 / max(requests, 1)}
    if all("calls" in r for r in runs):
        row["store_calls"] = sum(r["calls"] for r in runs) / max(requests, 1)
    if all("backend_ops" in r for r in runs):
        row["backend_ops"] = sum(r["backend_ops"] for r in runs) / max(requests, 1)
    if "anon_sessions" in runs[0]:
        counts = [r["anon_sessions"] for r in runs]
        row["anon_sessions"] = None if any(c is None for c in counts) else sum(counts)
        row["anon_set_cookie"] = app.anon_set_cookie
    return row


def stop_all_apps(apps):
    for app in apps:
        if app.proc is not None:
            stop(app.proc)


def run_jmh(args, log_dir):
    if args.smoke:
        options = ["-f", "1", "-wi", "0", "-i", "1", "-r", "200ms", "ManagerBenchmark.readRequest"]
    else:
        options = ["-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s"]
    out_file = os.path.join(log_dir, "jmh.json")
    log("running JMH " + " ".join(options))
    subprocess.run(["java", "-jar", JMH_JAR] + options + ["-rf", "json", "-rff", out_file], check=True,
                   stdout=open(os.path.join(log_dir, "jmh.log"), "w"), stderr=subprocess.STDOUT,
                   timeout=1800)
    with open(out_file) as f:
        return [(r["benchmark"].replace("io.fastsession.benchmarks.", ""), r["primaryMetric"]["score"],
                 r["primaryMetric"]["scoreError"], r["primaryMetric"]["scoreUnit"]) for r in json.load(f)]


def run_memory(args):
    sessions = 2000 if args.smoke else 100000
    out = subprocess.run(["java", "-Xms1g", "-Xmx1g", "-XX:+UseParallelGC", "-cp", JMH_JAR,
                          "io.fastsession.benchmarks.MemoryFootprint", str(sessions)], capture_output=True, text=True,
                         check=True, timeout=600).stdout
    return [line.split() for line in out.splitlines() if line.strip()]


# --- report -------------------------------------------------------------------------------


def error_text(error):
    try:
        value = float(error)
    except (TypeError, ValueError):
        return "—"
    return "—" if value != value else "± %.1f" % value


def fmt(value, pattern="%.2f"):
    return "—" if value is None else pattern % value


def chart(results, apps, path, log_dir):
    if shutil.which("gnuplot") is None:
        log("gnuplot not found: no chart")
        return False
    data = os.path.join(log_dir, "chart.dat")
    with open(data, "w") as f:
        for app in apps:
            rows = results[app.key]
            f.write('"%s" %s\n' % (app.key, " ".join("%.0f" % rows[k]["rps"] for k, _ in WORKLOADS)))
    script = """
set terminal pngcairo size 1400,650 font "sans,10"
set output '%s'
set title 'Requests per second, same machine, same run (higher is better)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -30
set key top right
set grid ytics
set ylabel 'requests/s'
plot '%s' using 2:xtic(1) title 'POST with cookie', '' using 3 title 'GET with cookie', '' using 4 title 'GET without cookie'
""" % (path, data)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    return True


def ratio(results, a, b, workload):
    if a in results and b in results:
        return results[a][workload]["rps"] / results[b][workload]["rps"]
    return None


def round_ratios(results, a, b, workload):
    """The ratio in each round: the two applications ran in the same round, minutes apart at most."""
    if a in results and b in results:
        return [x / y for x, y in zip(results[a][workload]["rounds"], results[b][workload]["rounds"])]
    return []


def targets(results):
    checks = []

    def check(name, a, b, workload, minimum):
        value = ratio(results, a, b, workload)
        if value is not None:
            checks.append((name, value, minimum, value >= minimum, round_ratios(results, a, b, workload)))

    memory, redis = "peer-fastsession-memory", "peer-fastsession-redis"
    check("memory POST vs WebFlux in-memory (≥ 1.00×)", memory, "webflux-memory", "post", 1.0)
    check("memory GET vs no sessions (≥ 0.90×)", memory, "no-session", "get", 0.9)
    check("redis POST vs Spring Session (≥ 1.50×)", redis, "spring-session-redis", "post", 1.5)
    check("redis GET vs Spring Session (≥ 2.00×)", redis, "spring-session-redis", "get", 2.0)
    check("redis POST vs Spring Session indexed (≥ 1.50×)", redis, "spring-session-redis-indexed", "post", 1.5)
    check("redis GET vs Spring Session indexed (≥ 2.00×)", redis, "spring-session-redis-indexed", "get", 2.0)
    return checks


MEMORY_LIMITS = """### What limits the memory provider

The session work itself is small: the JMH table below puts the manager's whole per-request work
(load, read or write, commit, on the Caffeine store) at around a microsecond or two, and the JSON
codec's integer path at a few nanoseconds. Three things found by profiling (JFR) shaped the rest:

- **Argument resolution.** WebFlux creates a new `InvocableHandlerMethod`, with an empty
  argument-resolver cache, for every request (spring-framework#29951, declined), so every request
  walks Spring's built-in resolvers before it reaches a custom one such as fastsession's, then zips
  the argument publishers. A handler without parameters skips all of it. That is why the
  no-session ceiling is out of reach for any session library that hands the handler a parameter:
  WebFlux's own `WebSession` (an exchange argument) sits at about the same ratio in the table.
- **Jackson's buffers.** Jackson 3 pools its buffers per factory, and Spring's JSON encoders in
  this Framework version take them without giving them back (spring-framework#37059), so every
  generator on the application's mapper allocates fresh buffers. The codec therefore writes and
  reads integers, booleans and short ASCII strings itself, byte for byte as the mapper would
  (checked against the mapper at start-up, and by `JsonCodecAgreementPropertyTests`).
- **Operators.** In-memory store calls run in place (they are synchronous sources), and the
  filter loads such a session with one call instead of a cached subscription: no timer, no
  operator chain.

What remains on `POST` against WebFlux's in-memory store is the serialized model: fastsession
keys the store by a SHA-256 of the id, keeps attributes as bytes, and writes a delta that copies
the stored record, where WebFlux's store hands back the live session object and mutates it. A
memory store keeping live objects would close that gap at the cost of the isolation (and the
identical behaviour across providers) the serialized form gives; it is not built.
"""


def report(results, apps, jmh, memory, args, command, output, chart_name):
    lines = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines.append("# Benchmarks\n")
    lines.append("Generated by `%s` on %s. Every number below comes from that one run, on one machine, side by "
                 "side: compare ratios, not absolute numbers (the machine is shared and noisy).\n" % (command, now))
    lines.append("## Machine\n")
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except Exception:
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    lines.append("- %d cores (%s), %s, %s" % (os.cpu_count(), cpu, platform.platform(), java))
    lines.append("- JVM options for every application: `%s`; every application runs at once (idle but one), on "
                 "loopback; wrk with 1 thread and %d connections shares the cores with the application under load."
                 % (" ".join(JVM_OPTS), args.connections))
    lines.append("- Each workload was warmed up twice for %ss, then measured in %d runs of %ss, interleaved over the "
                 "applications in a rotating order; the tables give the median run (req/s, latency) and costs "
                 "summed over all runs (CPU, calls). The warm-up is long because the JIT is slow to settle on "
                 "reactive call chains: with shorter ones, profiling (JFR) found C2 still compiling well into the "
                 "measured runs, in the session applications more than in the one without.\n"
                 % (args.warmup, args.rounds, args.duration))
    lines.append("## Load: requests per second\n")
    lines.append("Applications: one small counter application (`benchmarks/peer-app`, the sample's "
                 "`/api/counter` and nothing else) with no sessions, WebFlux's in-memory `WebSession`, Spring "
                 "Session's reactive Redis repository (default and indexed) and fastsession (memory, redis): only "
                 "the session library differs between these rows, and the targets compare them. Then the "
                 "fastsession sample (with its Actuator endpoints, HTML page and every driver) on each provider.\n")
    lines.append("| application | workload | req/s | p50 ms | p99 ms | app CPU µs/req | store calls/req | backend "
                 "ops/req | errors | no answer |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for app in apps:
        rows = results[app.key]
        for key, label in WORKLOADS:
            r = rows[key]
            lines.append("| %s | %s | %.0f | %.2f | %.2f | %.0f | %s | %s | %d | %d |" % (
                app.label, label, r["rps"], r["p50"], r["p99"], r["cpu_us"], fmt(r.get("store_calls")),
                fmt(r.get("backend_ops")), r["errors"], r["unanswered"]))
    lines.append("")
    lines.append("- *store calls/req*: calls fastsession made to its `SessionStore`, from its own "
                 "`fastsession.store.operations` metric.")
    lines.append("- *no answer*: requests wrk waited for longer than %s (its timeout count; included in *errors*): "
                 "a hang, since every application answers within its store timeout. Any makes the run fail."
                 % wrkout.TIMEOUT)
    lines.append("- *backend ops/req*: what the backend saw, per request: Redis commands sent by clients (round "
                 "trips; commands run inside fastsession's scripts are not counted), memcached commands, "
                 "MariaDB statements (`Com_select/insert/update/delete`), PostgreSQL transactions "
                 "(`pg_stat_database`).\n")
    if chart_name:
        lines.append("![requests per second](%s)\n" % chart_name)
    lines.append("## Anonymous traffic\n")
    lines.append("`GET /api/counter` without a cookie, a new visitor per request:\n")
    lines.append("| application | sessions stored by the run | Set-Cookie on the response |")
    lines.append("|---|---:|---|")
    for app in apps:
        r = results[app.key]["anon"]
        lines.append("| %s | %s | %s |" % (app.label, "—" if r.get("anon_sessions") is None else r["anon_sessions"],
                                            "yes" if r.get("anon_set_cookie") else "no"))
    lines.append("")
    lines.append("## Ratios and targets\n")
    lines.append("The verdict is on the ratio of the median runs; *per round* gives the ratio within each "
                 "round (the applications take turns, so the two ran a few minutes apart at most), to show how far "
                 "the machine's noise moves it.\n")
    lines.append("| target | measured | per round | verdict |")
    lines.append("|---|---:|---|---|")
    for name, value, minimum, ok, rounds in targets(results):
        lines.append("| %s | %.2f× | %s | %s |" % (name, value, " · ".join("%.2f" % r for r in rounds),
                                                    "met" if ok else "**missed**"))
    lines.append("")
    if any(name.startswith("memory") and not ok for name, _, _, ok, _ in targets(results)):
        lines.append(MEMORY_LIMITS)
    if memory:
        lines.append("## Memory per session\n")
        lines.append("Heap used after GC, divided by the number of sessions, each holding one small attribute "
                     "(`MemoryFootprint`, one JVM):\n")
        lines.append("| store | sessions | bytes per session |")
        lines.append("|---|---:|---:|")
        for name, count, per in memory:
            lines.append("| %s | %s | %s |" % (name, count, per))
        lines.append("")
    if jmh:
        lines.append("## Microbenchmarks (JMH)\n")
        lines.append("`java -jar benchmarks/jmh/target/benchmarks.jar -f 1 -wi 3 -w 1s -i 5 -r 1s` (average time "
                     "per operation):\n")
        lines.append("| benchmark | score | error | unit |")
        lines.append("|---|---:|---:|---|")
        for name, score, error, unit in jmh:
            lines.append("| %s | %.1f | %s | %s |" % (name, score, error_text(error), unit))
        lines.append("")
    failover = failover_section(output)
    with open(output, "w") as f:
        f.write("\n".join(lines))
        if failover:
            f.write("\n" + failover)


def failover_section(output):
    """The failover section (benchmarks/failover.sh writes it): kept across a full run."""
    if not os.path.exists(output):
        return ""
    text = open(output).read()
    start = text.find("## Failover")
    if start < 0:
        return ""
    following = text.find("\n## ", start + 1)
    return text[start:following + 1] if following >= 0 else text[start:]


# --- main ---------------------------------------------------------------------------------


def run_soak(args, log_dir, redis):
    """The load soak (see soak.py) on the memory and redis providers."""
    sessions = 2000 if args.smoke else args.soak_sessions
    intervals = 2 if args.smoke else 6
    seconds = 2 if args.smoke else 20
    providers = [("memory", [])]
    if redis is not None:
        providers.append(("redis", ["--spring.data.redis.url=redis://127.0.0.1:%d" % redis.port]))
    results = []
    for provider, extra in providers:
        app = App("soak-" + provider, "fastsession " + provider, SAMPLE_JAR,
                  ["--fastsession.provider=" + provider, "--fastsession.memory.max-sessions=%d" % (2 * sessions),
                   "--management.endpoints.web.exposure.include=health,metrics"] + extra,
                  backend=redis if provider == "redis" else None)
        if redis is not None:
            redis.reset()
        app.start(log_dir)
        try:
            results.append((app.label, soak.run(app, sessions, intervals, seconds, log_dir, http, log)))
        finally:
            stop(app.proc)
    return soak.markdown(results, sessions, intervals, seconds, args.command), results


def write_soak_section(output, section):
    """Put the soak section into the report, replacing an earlier one."""
    text = open(output).read() if os.path.exists(output) else "# Benchmarks\n\n"
    start = text.find("## Load soak")
    if start >= 0:
        following = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[following + 1:] if following >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(output, "w") as f:
        f.write(text)


def check_soak(results):
    for label, result in results:
        if any(row["unanswered"] for row in result["intervals"]) or result["create_unanswered"]:
            raise SystemExit("soak on %s: requests without an answer" % label)
        bad = [row for row in result["intervals"] if row["errors"] or row["lost"]]
        if bad or result["create_errors"]:
            raise SystemExit("soak on %s: errors or lost sessions" % label)


def exit_on_signal(signum, frame):
    # Turns SIGTERM/SIGHUP into an exception, so that the cleanup in main() stops every
    # process this script started.
    raise SystemExit("stopped by signal %d" % signum)


def main():
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGHUP, exit_on_signal)
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="seconds, not minutes: a check that nothing rotted")
    parser.add_argument("--duration", type=int, default=8, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=8, help="seconds per warm-up run (two per workload)")
    parser.add_argument("--rounds", type=int, default=3, help="measured runs per workload, interleaved")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--apps", default="", help="comma-separated application keys to run (default: all)")
    parser.add_argument("--output", default=os.path.join(ROOT, "docs/benchmarks.md"))
    parser.add_argument("--no-jmh", action="store_true")
    parser.add_argument("--no-soak", action="store_true", help="skip the load soak")
    parser.add_argument("--soak-only", action="store_true",
                        help="run only the load soak and replace its section in the report")
    parser.add_argument("--soak-sessions", type=int, default=100000)
    parser.add_argument("--command", default="benchmarks/run.sh")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.warmup, args.connections, args.rounds = 1, 1, 8, 1
    for jar in (SAMPLE_JAR, PEER_JAR, JMH_JAR):
        if not os.path.exists(jar):
            raise SystemExit("missing %s: run benchmarks/run.sh, which builds it" % jar)
    log_dir = tempfile.mkdtemp(prefix="fastsession-bench-")
    log("logs in " + log_dir)
    backends = []
    try:
        if args.soak_only:
            redis = Redis(log_dir)
            section, results = run_soak(args, log_dir, redis)
            write_soak_section(args.output, section)
            log("wrote the soak section of " + args.output)
            check_soak(results)
            return
        wanted = [a for a in args.apps.split(",") if a] or None
        if args.smoke and not wanted:
            wanted = ["no-session", "peer-fastsession-memory", "fastsession-memory"]

        def want(key):
            return wanted is None or key in wanted

        redis = Redis(log_dir) if any(want(k) for k in ("fastsession-redis", "spring-session-redis",
                                                          "spring-session-redis-indexed",
                                                          "peer-fastsession-redis")) else None
        memcached = Memcached(log_dir) if want("fastsession-memcached") else None
        postgres = Postgres() if want("fastsession-postgres") else None
        mariadb = Mariadb() if want("fastsession-mysql") else None
        backends = [b for b in (postgres, mariadb) if b is not None]
        work = tempfile.mkdtemp(prefix="fastsession-bench-data-")
        common = ["--fastsession.cleanup-interval=1s", "--management.endpoints.web.exposure.include=health,metrics"]
        redis_url = ["--spring.data.redis.url=redis://127.0.0.1:%d" % redis.port] if redis else []
        peer_no_spring_session = ["--spring.autoconfigure.exclude=" + SPRING_SESSION_AUTOCONFIG + ","
                                  + FASTSESSION_AUTOCONFIG]
        peer_no_fastsession = ["--spring.autoconfigure.exclude=" + FASTSESSION_AUTOCONFIG]
        peer_fastsession = ["--bench.mode=fastsession", "--spring.autoconfigure.exclude=" + SPRING_SESSION_AUTOCONFIG,
                            "--management.endpoints.web.exposure.include=health,metrics"]
        apps = [
            App("no-session", "no sessions (ceiling)", PEER_JAR, ["--bench.mode=none"] + peer_no_spring_session,
                fastsession=False),
            App("webflux-memory", "WebFlux in-memory WebSession", PEER_JAR,
                ["--bench.mode=webflux"] + peer_no_spring_session, fastsession=False),
            App("spring-session-redis", "Spring Session reactive Redis", PEER_JAR,
                ["--bench.mode=spring-session", "--spring.session.data.redis.repository-type=default"] + redis_url
                + peer_no_fastsession, backend=redis, fastsession=False),
            App("spring-session-redis-indexed", "Spring Session reactive Redis (indexed)", PEER_JAR,
                ["--bench.mode=spring-session", "--spring.session.data.redis.repository-type=indexed"] + redis_url
                + peer_no_fastsession, backend=redis, fastsession=False),
            App("peer-fastsession-memory", "peer app on fastsession memory", PEER_JAR,
                peer_fastsession + ["--fastsession.provider=memory"]),
            App("peer-fastsession-redis", "peer app on fastsession redis", PEER_JAR,
                peer_fastsession + ["--fastsession.provider=redis", "--fastsession.redis.key-prefix=peer:"]
                + redis_url, backend=redis),
            App("fastsession-memory", "fastsession memory", SAMPLE_JAR, ["--fastsession.provider=memory"] + common),
            App("fastsession-file", "fastsession file", SAMPLE_JAR,
                ["--fastsession.provider=file", "--fastsession.file.directory=" + os.path.join(work, "files")]
                + common),
            App("fastsession-sqlite", "fastsession sqlite", SAMPLE_JAR,
                ["--fastsession.provider=sqlite", "--fastsession.sqlite.path=" + os.path.join(work, "sessions.db")]
                + common),
            App("fastsession-redis", "fastsession redis", SAMPLE_JAR, ["--fastsession.provider=redis"] + redis_url
                + common, backend=redis),
            App("fastsession-memcached", "fastsession memcached", SAMPLE_JAR,
                ["--fastsession.provider=memcached",
                 "--fastsession.memcached.servers=127.0.0.1:%d" % (memcached.port if memcached else 0)] + common,
                backend=memcached),
            App("fastsession-postgres", "fastsession postgres", SAMPLE_JAR,
                ["--fastsession.provider=postgres", "--fastsession.jdbc.url=" + (postgres.url() if postgres else ""),
                 "--fastsession.jdbc.username=postgres"] + common, backend=postgres),
            App("fastsession-mysql", "fastsession mysql (MariaDB)", SAMPLE_JAR,
                ["--fastsession.provider=mysql", "--fastsession.jdbc.url=" + (mariadb.url() if mariadb else ""),
                 "--fastsession.jdbc.username=root"] + common, backend=mariadb),
        ]
        apps = [a for a in apps if want(a.key)]
        for app in apps:
            prepare(app, log_dir)
        for app in apps:
            log("warming up " + app.label)
            warm_up(app, args, log_dir)
        runs = {app.key: {key: [] for key, _ in WORKLOADS} for app in apps}
        for round_number in range(args.rounds):
            # Every round visits the applications in another order, so that a noisy minute
            # does not always fall on the same one.
            order = apps[round_number % len(apps):] + apps[:round_number % len(apps)]
            for app in order:
                for key, label in WORKLOADS:
                    result = measure(app, key, args, log_dir)
                    runs[app.key][key].append(result)
                    log("round %d %-38s %-30s %9.0f req/s" % (round_number + 1, app.label, label, result["rps"]))
        results = {app.key: {key: summarize(app, runs[app.key][key]) for key, _ in WORKLOADS} for app in apps}
        stop_all_apps(apps)
        memory = run_memory(args)
        jmh = [] if args.no_jmh else run_jmh(args, log_dir)
        output = args.output
        chart_path = os.path.splitext(output)[0] + ".png"
        chart_name = os.path.basename(chart_path) if chart(results, apps, chart_path, log_dir) else None
        report(results, apps, jmh, memory, args, args.command, output, chart_name)
        soak_results = []
        if not args.no_soak:
            section, soak_results = run_soak(args, log_dir, redis)
            write_soak_section(output, section)
        log("wrote " + output)
        for name, value, minimum, ok, rounds in targets(results):
            log("%-55s %.2fx %s (rounds: %s)" % (name, value, "met" if ok else "MISSED",
                                                 " ".join("%.2f" % r for r in rounds)))
        check_soak(soak_results)
        unanswered = [app.key for app in apps for key, _ in WORKLOADS if results[app.key][key]["unanswered"] > 0]
        if unanswered:
            raise SystemExit("requests without an answer in: " + ", ".join(sorted(set(unanswered))))
        failures = [app.key for app in apps for key, _ in WORKLOADS if results[app.key][key]["errors"] > 0]
        if failures:
            raise SystemExit("requests failed in: " + ", ".join(sorted(set(failures))))
    finally:
        stop_all()
        for backend in backends:
            try:
                backend.close()
            except Exception as error:
                log("cleanup failed: %s" % error)


if __name__ == "__main__":
    main()
