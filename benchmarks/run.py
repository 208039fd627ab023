#!/usr/bin/env python3
"""Side-by-side load benchmark of fastsession, WebFlux's sessions and Spring Session.

Started by benchmarks/run.sh, which builds the jars and installs wrk and gnuplot. Every
server and application this script starts is recorded and stopped by PID, even on failure.
Results go to docs/benchmarks.md (and docs/benchmarks.png), or to --output.
"""

import argparse
import datetime
import http.client as http_client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
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
    ("post", "POST, random session"),
    ("get", "GET, random session"),
    ("anon", "GET, no cookie"),
    ("hot", "POST, one hot session"),
]
LUA = os.path.join(ROOT, "benchmarks/sessions.lua")
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


def process_cpu_seconds(pid):
    """CPU time (user and system) a process has used so far, from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds():
    """CPU time the whole machine has spent busy so far (every state but idle and I/O wait;
    steal, the time the hypervisor gave to others, is left out), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


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


class Backend:
    """A backend's counters: stats() reads them, ops() counts what happened between two reads."""

    @staticmethod
    def ops(before, after):
        return {"ops": after["ops"] - before["ops"], "commands": after["commands"] - before["commands"]}


class Redis(Backend):
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
        """Calls per command so far; ops() counts a difference of two."""
        calls = {}
        for line in self.cli("INFO", "commandstats").splitlines():
            match = re.match(r"cmdstat_([a-z|]+):calls=(\d+)", line)
            if match and not match.group(1).startswith(("info", "config", "dbsize", "flushall", "ping")):
                calls[match.group(1)] = int(match.group(2))
        return calls

    @staticmethod
    def ops(before, after):
        """Round trips and commands between two stats(). Classified on the difference, not on
        the totals: the applications of a group share one Redis, and only one of them runs
        scripts."""
        calls = {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0) > 0}
        total = sum(calls.values())
        scripted = calls.get("evalsha", 0) + calls.get("eval", 0) > 0
        round_trips = sum(v for k, v in calls.items() if k in REDIS_CLIENT_COMMANDS) if scripted else total
        return {"ops": round_trips, "commands": total}

    def sessions(self):
        return int(self.cli("DBSIZE") or 0)

    def cpu_seconds(self):
        return process_cpu_seconds(self.proc.pid)


class Memcached(Backend):
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


class Postgres(Backend):
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


class Mariadb(Backend):
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
    def __init__(self, key, label, jar, args, backend=None, fastsession=True, sessions=True, target=True,
                 group=None):
        self.key = key
        self.label = label
        self.jar = jar
        self.args = args
        self.backend = backend
        self.fastsession = fastsession
        # False for the applications without sessions: they get made-up cookies of the same size.
        self.sessions = sessions
        # The applications the targets compare run in every start of their group; the others
        # (the sample on each provider, the parameter-less no-session app) in the first
        # --sample-rounds starts only.
        self.target = target
        # The applications of one group are up together and measured in turn (run_group);
        # an application without a group is a group of its own.
        self.group = group or key
        self.port = None
        self.proc = None
        self.anon_set_cookie = False

    def start(self, log_dir, round_number):
        self.port = free_port()
        command = ["java"] + JVM_OPTS + ["-jar", self.jar, "--server.port=%d" % self.port,
                                          "--logging.level.root=WARN", "--spring.main.banner-mode=off"] + self.args
        self.proc = start(command, "app-%s-%d" % (self.key, round_number), log_dir)
        wait_until(lambda: http("GET", self.url("/api/counter"))[0] == 200, 90, self.label)

    def stop(self):
        if self.proc is not None:
            stop(self.proc)
            self.proc = None

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def cpu_seconds(self):
        return process_cpu_seconds(self.proc.pid)

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


# The peer application's arguments: without either session library, and on fastsession.
PEER_NO_SESSION_LIBRARY = ["--spring.autoconfigure.exclude=" + SPRING_SESSION_AUTOCONFIG + "," + FASTSESSION_AUTOCONFIG]
PEER_FASTSESSION = ["--bench.mode=fastsession", "--spring.autoconfigure.exclude=" + SPRING_SESSION_AUTOCONFIG,
                    "--management.endpoints.web.exposure.include=health,metrics"]


def peer_memory_apps():
    """The peer application's variants that the in-memory targets compare, with no backend:
    the ceiling, WebFlux's in-memory sessions and fastsession's memory provider."""
    return [
        App("no-session-arg", "no sessions, one argument (ceiling)", PEER_JAR,
            ["--bench.mode=none-arg"] + PEER_NO_SESSION_LIBRARY, fastsession=False, sessions=False, group="memory"),
        App("webflux-memory", "WebFlux in-memory WebSession", PEER_JAR,
            ["--bench.mode=webflux"] + PEER_NO_SESSION_LIBRARY, fastsession=False, group="memory"),
        App(MEMORY, "peer app on fastsession memory", PEER_JAR, PEER_FASTSESSION + ["--fastsession.provider=memory"],
            group="memory"),
    ]


def populate(app, count, path):
    """Create `count` sessions, as that many first visits, and write their cookies to `path`.

    The applications without sessions get as many made-up cookies of the same length, so that
    every application reads the same request bytes.
    """
    cookies = []
    connection = http_client.HTTPConnection("127.0.0.1", app.port, timeout=10)
    try:
        for _ in range(count):
            connection.request("POST", "/api/counter")
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError("%s: POST /api/counter gave %d" % (app.label, response.status))
            cookie = session_cookie(dict(response.getheaders()))
            if app.sessions:
                if cookie is None:
                    raise RuntimeError("%s: POST /api/counter without a session cookie" % app.label)
                cookies.append("SESSION=" + cookie)
    finally:
        connection.close()
    if not app.sessions:
        cookies = ["SESSION=" + secrets.token_urlsafe(32) for _ in range(count)]
    if len(set(cookies)) != count:
        raise RuntimeError("%s: %d distinct sessions for %d first visits" % (app.label, len(set(cookies)), count))
    with open(path, "w") as f:
        f.write("\n".join(cookies) + "\n")
    return cookies


def wrk(app, workload, seconds, connections, cookie_file):
    """One wrk run of a workload with sessions.lua: the same request script for every application."""
    method = "POST" if workload in ("post", "hot") else "GET"
    script_args = [method] + ([] if workload == "anon" else [cookie_file])
    out = subprocess.run(["wrk", "-t", "1", "-c", str(connections), "-d", "%ss" % seconds, "--latency",
                          "--timeout", wrkout.TIMEOUT, "-s", LUA, app.url("/api/counter"), "--"] + script_args,
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    return wrkout.parse(out)


def settle(app, workload, args, cookie_file):
    """Warm up until throughput settles: two windows in a row within --settle of each other.

    Returns the seconds it took. The JIT is slow to settle on reactive call chains; a fixed
    short warm-up leaves C2 compiling into the measured run.
    """
    previous, spent = None, 0
    while True:
        rps = wrk(app, workload, args.window, args.connections, cookie_file)["rps"]
        spent += args.window
        settled = previous is not None and abs(rps - previous) <= args.settle * max(rps, previous)
        if (settled and spent >= args.min_warmup) or spent >= args.max_warmup:
            return spent
        previous = rps


def measure(app, workload, args, cookie_file):
    """One measured run of one workload; counters are read around it."""
    time.sleep(0.3)
    sessions_before = app.stored_sessions() if workload == "anon" else None
    backend_before = app.backend.stats() if app.backend is not None else None
    calls_before = app.store_calls()
    cpu_before = app.cpu_seconds()
    result = wrk(app, workload, args.duration, args.connections, cookie_file)
    result["cpu"] = app.cpu_seconds() - cpu_before
    calls_after = app.store_calls()
    if calls_before is not None and calls_after is not None:
        result["calls"] = calls_after - calls_before
    if backend_before is not None:
        ops = app.backend.ops(backend_before, app.backend.stats())
        result["backend_ops"] = ops["ops"]
        result["backend_commands"] = ops["commands"]
    if workload == "anon":
        time.sleep(1.5)
        after_sessions = app.stored_sessions()
        result["anon_sessions"] = (after_sessions - sessions_before) if (
            after_sessions is not None and sessions_before is not None) else None
    return result


def workloads_of(app):
    return [key for key, _ in WORKLOADS if app.sessions or key != "hot"]


def cookie_files(app, count, log_dir, name):
    """Create the sessions and write two cookie files: all of them, for the random-session
    workloads, and the first one alone, for the hot session. Returns (many, hot)."""
    many = os.path.join(log_dir, "cookies-%s.txt" % name)
    hot = os.path.join(log_dir, "cookie-%s.txt" % name)
    cookies = populate(app, count, many)
    with open(hot, "w") as f:
        f.write(cookies[0] + "\n")
    return many, hot


def prewarm(app, seconds, connections, many, hot):
    """Every workload's code once, before any is settled or watched."""
    for workload in workloads_of(app):
        wrk(app, workload, seconds, connections, hot if workload == "hot" else many)


def start_app(app, start_number, args, log_dir):
    """Start one application and create its sessions. Returns its cookie files (many, hot)."""
    log("start %d: starting %s" % (start_number + 1, app.label))
    app.start(log_dir, start_number)
    many, hot = cookie_files(app, args.sessions, log_dir, "%s-%d" % (app.key, start_number))
    status, headers, _ = http("GET", app.url("/api/counter"))
    app.anon_set_cookie = session_cookie(headers) is not None
    # The counters measure() reads come from the application's metrics endpoint. The
    # first request to it runs code nothing ran before (our reading: classes loaded and
    # compiled code of the request path invalidated), and the measured run right after
    # it (fastsession's first, `post`) ran about a fifth slower than without it
    # (benchmarks/timeline.py --read-metrics shows it). Read them once now, in the
    # warm-up.
    app.store_calls()
    app.stored_sessions()
    return many, hot


def run_group(members, start_number, args, log_dir):
    """One start of a group of applications that the targets compare: all of them are
    started, warmed up in turn, then measured in rounds, each round one measured run of
    every workload on every member, in a rotated order, so that the two runs a ratio
    compares are seconds apart, not minutes. Only the application being measured gets
    requests; the others wait, idle. Returns {app key: {workload: [results]}}."""
    backends = {id(a.backend): a.backend for a in members if a.backend is not None}
    for backend in backends.values():
        backend.reset()
    results = {app.key: {} for app in members}
    files = {}
    try:
        for app in members:
            files[app.key] = start_app(app, start_number, args, log_dir)
        warmups = {}
        for app in members:
            many, hot = files[app.key]
            # Every workload's code once before any is settled: the first workload otherwise
            # pays the JIT for all of them, and a slowly rising throughput can pass two windows
            # within --settle of each other before it levels off.
            prewarm(app, args.prewarm, args.connections, many, hot)
            for workload in workloads_of(app):
                warmups[(app.key, workload)] = settle(app, workload, args, hot if workload == "hot" else many)
        for round_number in range(args.rounds):
            number = start_number * args.rounds + round_number
            shift = number % len(members)
            for workload, _ in WORKLOADS:
                for app in members[shift:] + members[:shift]:
                    if workload not in workloads_of(app):
                        continue
                    many, hot = files[app.key]
                    result = measure(app, workload, args, hot if workload == "hot" else many)
                    result["warmup"] = warmups[(app.key, workload)]
                    result["round"] = number
                    results[app.key].setdefault(workload, []).append(result)
                    log("round %d %-40s %-5s %9.0f req/s" % (number + 1, app.label, workload, result["rps"]))
    finally:
        for app in members:
            app.stop()
    return results


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def summarize(app, runs):
    """Median throughput and latency over the rounds; per-request costs over all of them."""
    requests = sum(r["requests"] for r in runs)
    row = {"rps": median([r["rps"] for r in runs]), "p50": median([r["p50"] for r in runs]),
           "p99": median([r["p99"] for r in runs]), "requests": requests,
           "rounds": {r["round"]: r["rps"] for r in runs}, "errors": sum(r["errors"] for r in runs),
           "unanswered": sum(r["unanswered"] for r in runs),
           "warmup": max(r["warmup"] for r in runs),
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


# The microbenchmarks run with the options below; the exchange benchmark (a whole request
# through Spring Boot's HttpHandler, in process) needs a longer warm-up and keeps the one its
# annotations give, and reports the bytes allocated per exchange (JMH's gc profiler).
MICRO = "^(?!.*ExchangeBenchmark).*"
EXCHANGE = "ExchangeBenchmark"


def run_jmh(args, log_dir):
    if args.smoke:
        runs = [("jmh", ["-f", "1", "-wi", "0", "-i", "1", "-r", "200ms", "ManagerBenchmark.readRequest"]),
                ("jmh-exchange", ["-wi", "0", "-i", "1", "-r", "200ms", "-p", "mode=fastsession", "-prof", "gc",
                                  EXCHANGE + ".read"])]
    else:
        runs = [("jmh", ["-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s", MICRO]),
                ("jmh-exchange", ["-prof", "gc", EXCHANGE])]
    rows = []
    for name, options in runs:
        out_file = os.path.join(log_dir, name + ".json")
        log("running JMH " + " ".join(options))
        subprocess.run(["java", "-jar", JMH_JAR] + options + ["-rf", "json", "-rff", out_file], check=True,
                       stdout=open(os.path.join(log_dir, name + ".log"), "w"), stderr=subprocess.STDOUT,
                       timeout=1800)
        with open(out_file) as f:
            rows.extend((jmh_name(r), r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"],
                         r["primaryMetric"]["scoreUnit"], allocated(r)) for r in json.load(f))
    return rows


def allocated(result):
    """Bytes allocated per operation, when the run had JMH's gc profiler; else None."""
    metric = (result.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm")
    return None if metric is None else metric["score"]


def jmh_name(result):
    """A benchmark's name, with its parameters when it has any (one row per value)."""
    name = result["benchmark"].replace("io.fastsession.benchmarks.", "")
    params = result.get("params") or {}
    return name + "".join(" (%s %s)" % (key, value) for key, value in sorted(params.items()))


MEMORY_RUNS = 5


def run_memory(args):
    """Bytes per session of each store: the median of MEMORY_RUNS JVMs (one in a smoke run).

    Before MemoryFootprint discarded a first pass of each store, one JVM's figure was not
    repeatable (fastsession's store, measured first, gave 277 bytes in some JVMs and 331 in others);
    the per-JVM figures in the report show whether it holds still now. Returns (store, sessions,
    median, every JVM's figure) rows.
    """
    sessions = 2000 if args.smoke else 100000
    figures = {}
    for _ in range(1 if args.smoke else MEMORY_RUNS):
        out = subprocess.run(["java", "-Xms1g", "-Xmx1g", "-XX:+UseParallelGC", "-cp", JMH_JAR,
                              "io.fastsession.benchmarks.MemoryFootprint", str(sessions)], capture_output=True,
                             text=True, check=True, timeout=600).stdout
        for line in out.splitlines():
            if line.strip():
                name, count, per = line.split()
                figures.setdefault((name, count), []).append(float(per))
    return [(name, count, statistics.median(values), values) for (name, count), values in figures.items()]


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
            f.write('"%s" %s\n' % (app.key, " ".join("%.0f" % rows[k]["rps"] if k in rows else "NaN"
                                                     for k, _ in WORKLOADS)))
    script = """
set terminal pngcairo size 1400,650 font "sans,10"
set output '%s'
set title 'Requests per second, same machine, same run, one application under load at a time (higher is better)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -30
set key top right
set grid ytics
set ylabel 'requests/s'
plot '%s' using 2:xtic(1) title 'POST, random session', '' using 3 title 'GET, random session', \\
  '' using 4 title 'GET, no cookie', '' using 5 title 'POST, one hot session'
""" % (path, data)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    return True


def round_ratios(results, a, b, workload):
    """The ratio in each round in which both ran: the members of a group take turns, seconds apart."""
    if a in results and b in results and workload in results[a] and workload in results[b]:
        x, y = results[a][workload]["rounds"], results[b][workload]["rounds"]
        return [x[r] / y[r] for r in sorted(x) if r in y]
    return []


MEMORY, REDIS = "peer-fastsession-memory", "peer-fastsession-redis"
TARGETS = [
    # name, a, b, workload, minimum (None: shown for information)
    ("memory, write: fastsession / WebFlux in-memory", MEMORY, "webflux-memory", "post", 1.10),
    ("memory, read: fastsession / WebFlux in-memory", MEMORY, "webflux-memory", "get", 1.05),
    ("memory, read: fastsession / no sessions, one argument", MEMORY, "no-session-arg", "get", 0.90),
    ("anonymous read: fastsession / no sessions, one argument", MEMORY, "no-session-arg", "anon", 0.95),
    ("redis, write: fastsession / Spring Session", REDIS, "spring-session-redis", "post", 2.0),
    ("redis, read: fastsession / Spring Session", REDIS, "spring-session-redis", "get", 3.0),
    ("memory, read: WebFlux in-memory / no sessions, one argument", "webflux-memory", "no-session-arg", "get", None),
    # How far above WebFlux's sessions any session library could be: the application without any.
    ("write: no sessions, one argument / WebFlux in-memory", "no-session-arg", "webflux-memory", "post", None),
    ("read: no sessions, one argument / WebFlux in-memory", "no-session-arg", "webflux-memory", "get", None),
    ("memory, read: fastsession / no sessions, no argument", MEMORY, "no-session", "get", None),
    ("no sessions: one argument / no argument", "no-session-arg", "no-session", "get", None),
    ("memory, one hot session: fastsession / WebFlux in-memory", MEMORY, "webflux-memory", "hot", None),
    ("redis, write: fastsession / Spring Session indexed", REDIS, "spring-session-redis-indexed", "post", None),
    ("redis, read: fastsession / Spring Session indexed", REDIS, "spring-session-redis-indexed", "get", None),
    ("redis, one hot session: fastsession / Spring Session", REDIS, "spring-session-redis", "hot", None),
]


def targets(results):
    """(name, median of the per-round ratios, minimum, met, per-round ratios) for each pair that ran."""
    checks = []
    for name, a, b, workload, minimum in TARGETS:
        rounds = round_ratios(results, a, b, workload)
        if rounds:
            value = median(rounds)
            checks.append((name, value, minimum, minimum is None or value >= minimum, rounds))
    return checks


def memory_section(memory, origin=None):
    """The lines of the section on memory per session; `origin` says where its figures come from
    when they are not from the load run that produced the rest of the page."""
    lines = ["## Memory per session\n"]
    if origin:
        lines.append(origin + "\n")
    jvms = len(memory[0][3])
    lines.append("Heap used after GC, divided by the number of sessions, each holding one small attribute "
                 "(`MemoryFootprint`, which measures each store once, discarded, before it measures): %s.\n"
                 % ("the median of %d JVMs, each JVM's figure beside it" % jvms if jvms > 1 else "one JVM"))
    lines.append("| store | sessions | bytes per session | per JVM |")
    lines.append("|---|---:|---:|---|")
    for name, count, per, values in memory:
        lines.append("| %s | %s | %.0f | %s |" % (name, count, per, " · ".join("%.0f" % v for v in values)))
    lines.append("")
    return lines


MEMORY_ROW = "| memory per session: fastsession / WebFlux in-memory |"


def memory_row(memory, note=""):
    value, ok = memory_target(memory)
    return "%s %.2f× | — | ≤ 0.90× | %s%s |" % (MEMORY_ROW, value, "met" if ok else "**missed**", note)


def write_memory_only(output, memory, command):
    """Replace the memory section and the ratio row it feeds, saying they come from a run of
    their own."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    replace_section(output, "## Memory per session",
                    "\n".join(memory_section(memory, "Measured on its own by `%s` on %s, not by the load run "
                                                      "above (so is the ratio's row in the first table)."
                                              % (command, now))) + "\n")
    text = open(output).read()
    lines = [memory_row(memory, " (measured on its own, see below)") if line.startswith(MEMORY_ROW) else line
             for line in text.split("\n")]
    with open(output, "w") as f:
        f.write("\n".join(lines))


def memory_target(memory):
    per = {name: value for name, _, value, _ in memory}
    if per.get("fastsession-memory", 0) > 0 and per.get("webflux-in-memory", 0) > 0:
        value = per["fastsession-memory"] / per["webflux-in-memory"]
        return value, value <= 0.9
    return None, None


def report(results, apps, jmh, memory, args, command, output, chart_name):
    lines = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines.append("# Benchmarks\n")
    lines.append("Generated by `%s` on %s. Every number from here to the memory per session comes from that one "
                 "run, on one machine, side by side: compare ratios, not absolute numbers (the machine is shared and "
                 "noisy). The sections after it come from the runs they name, kept when a run skips them.\n"
                 % (command, now))
    lines.append("## Machine and method\n")
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except Exception:
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    lines.append("- %d cores (%s), %s, %s" % (os.cpu_count(), cpu, platform.platform(), java))
    lines.append("- JVM options for every application: `%s`. **One application under load at a time**: the "
                 "applications a target compares (a *group*: the memory peers, the Redis peers) are started "
                 "together, and only the one being warmed up or measured gets requests while the others wait, "
                 "idle; the fastsession sample runs alone, one provider after the other. wrk, with 1 thread and "
                 "%d keep-alive connections, shares the cores with the application under load."
                 % (" ".join(JVM_OPTS), args.connections))
    lines.append("- **Many sessions**: each run first creates %d sessions (one first visit each) and then every "
                 "request carries the cookie of one picked at random (`benchmarks/sessions.lua`, the same script "
                 "for every application; the applications without sessions get as many made-up cookies of the "
                 "same size). The single hot session is a separate contention workload." % args.sessions)
    lines.append("- **Warm JIT**: after the sessions are created every workload runs for %ss in turn; then each "
                 "workload runs in %ss windows until two in a row are within %d%% of each other (at least %ss, at "
                 "most %ss; the *warm-up* column gives the longest it took), for every application of the group "
                 "in turn, before any is measured."
                 % (args.prewarm, args.window, round(args.settle * 100), args.min_warmup, args.max_warmup))
    sample_starts = min(args.sample_rounds, args.starts)
    lines.append("- **Interleaved rounds**: each group is started %s (new JVMs each time) and measured in %d "
                 "rounds per start; a round is one measured run of %ss of every workload on every member, the "
                 "members taking turns workload by workload, in an order rotated from round to round, so that the "
                 "two runs a ratio compares are seconds apart. %d rounds in all; the applications no target "
                 "compares (the fastsession sample on each provider, the no-session application without an "
                 "argument) ran in the first %s only. Tables give the median round and the spread "
                 "(lowest–highest); costs (CPU, calls) are summed over all rounds. Any request without an answer "
                 "fails the run.\n" % ("once" if args.starts == 1 else "%d times" % args.starts, args.rounds,
                                         args.duration, args.starts * args.rounds,
                                         "start" if sample_starts == 1 else "%d starts" % sample_starts))
    lines.append("## Ratios and targets\n")
    lines.append("The ratio of two applications in each round in which both ran, and the median of those rounds, "
                 "which the verdict is on. The ceiling is the same application without sessions whose handler "
                 "takes one resolved argument (`ServerWebExchange`): any session parameter costs Spring that "
                 "argument resolution. Rows without a target are for information.\n")
    lines.append("| ratio | median | per round | target | verdict |")
    lines.append("|---|---:|---|---:|---|")
    for name, value, minimum, ok, rounds in targets(results):
        lines.append("| %s | %.2f× | %s | %s | %s |" % (
            name, value, " · ".join("%.2f" % r for r in rounds),
            "—" if minimum is None else ("≥ %.2f×" % minimum), "" if minimum is None else verdict(value, minimum, ok)))
    if memory_target(memory)[0] is not None:
        lines.append(memory_row(memory))
    lines.append("")
    lines.append("## Load: requests per second\n")
    lines.append("Applications: one small counter application (`benchmarks/peer-app`, the sample's "
                 "`/api/counter` and nothing else; its controllers are in `benchmarks/counter`, which the JMH exchange "
                 "benchmark serves too) without sessions (handler without parameters, and with one "
                 "`ServerWebExchange` argument), on WebFlux's in-memory `WebSession`, on Spring Session's reactive "
                 "Redis repository (default and indexed) and on fastsession (memory, redis): only the session "
                 "library differs between these rows, and the targets compare them. Then the fastsession sample "
                 "(with its Actuator endpoints, HTML page and every driver) on each provider.\n")
    lines.append("| application | workload | req/s | spread | p50 ms | p99 ms | app CPU µs/req | store calls/req | "
                 "backend ops/req | warm-up s | errors | no answer |")
    lines.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for app in apps:
        rows = results[app.key]
        for key, label in WORKLOADS:
            if key not in rows:
                continue
            r = rows[key]
            spread = "%.0f–%.0f" % (min(r["rounds"].values()), max(r["rounds"].values()))
            lines.append("| %s | %s | %.0f | %s | %.2f | %.2f | %.0f | %s | %s | %d | %d | %d |" % (
                app.label, label, r["rps"], spread, r["p50"], r["p99"], r["cpu_us"], fmt(r.get("store_calls")),
                fmt(r.get("backend_ops")), r["warmup"], r["errors"], r["unanswered"]))
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
    if memory:
        lines.extend(memory_section(memory))
    if jmh:
        lines.append(JMH_SECTION + "\n")
        lines.append("`java -jar benchmarks/jmh/target/benchmarks.jar -f 1 -wi 3 -w 1s -i 5 -r 1s '%s'` and "
                     "`java -jar benchmarks/jmh/target/benchmarks.jar -prof gc %s` (the exchange benchmark's own "
                     "warm-up: ten 2-s iterations, then five), run by `%s` on %s (average time per operation; "
                     "bytes allocated per operation where the gc profiler ran):\n" % (MICRO, EXCHANGE, command, now))
        lines.append("| benchmark | score | error | unit | allocated per operation |")
        lines.append("|---|---:|---:|---|---:|")
        for name, score, error, unit, alloc in jmh:
            lines.append("| %s | %.1f | %s | %s | %s |" % (name, score, error_text(error), unit,
                                                         "—" if alloc is None else "%.0f B" % alloc))
        lines.append("")
    kept = kept_sections(output, () if jmh else (JMH_SECTION,))
    with open(output, "w") as f:
        f.write("\n".join(lines))
        if kept:
            f.write("\n" + kept)


# Sections other tools write into the report (benchmarks/profile.sh, benchmarks/failover.sh,
# the soak): a run of the load benchmark keeps them.
KEPT_SECTIONS = ("## Where the time goes", "## What limits each target", "## Load soak", "## Failover")

JMH_SECTION = "## Microbenchmarks (JMH)"


def verdict(value, minimum, ok):
    """A target's verdict; a miss that two decimals would show as the target itself says so."""
    if ok:
        return "met"
    if "%.2f" % value == "%.2f" % minimum:
        return "**missed** (the median, %.4f×, rounds to the target)" % value
    return "**missed**"


def kept_sections(output, also=()):
    if not os.path.exists(output):
        return ""
    text = open(output).read()
    kept = []
    for heading in tuple(also) + KEPT_SECTIONS:
        start = text.find(heading)
        if start < 0:
            continue
        following = text.find("\n## ", start + 1)
        section = text[start:following + 1] if following >= 0 else text[start:]
        # One blank line between sections, however many the page had: a kept section
        # must not grow by a line on every run.
        kept.append(section.rstrip("\n") + "\n")
    return "\n".join(kept)


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
        app.start(log_dir, 0)
        try:
            results.append((app.label, soak.run(app, sessions, intervals, seconds, log_dir, http, log)))
        finally:
            app.stop()
    return soak.markdown(results, sessions, intervals, seconds, args.command), results


def replace_section(output, heading, section, before=None):
    """Put a section into the report, replacing an earlier one with the same heading; a new one
    goes in front of the section `before` when there is one, else at the end."""
    text = open(output).read() if os.path.exists(output) else "# Benchmarks\n\n"
    start = text.find(heading)
    if start >= 0:
        following = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[following + 1:] if following >= 0 else "")
    else:
        anchor = text.find(before) if before else -1
        text = (text[:anchor] + section + "\n" + text[anchor:]) if anchor >= 0 else (
            text.rstrip("\n") + "\n\n" + section)
    with open(output, "w") as f:
        f.write(text)


def write_soak_section(output, section):
    replace_section(output, "## Load soak", section)


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
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--window", type=int, default=5, help="seconds per warm-up window")
    parser.add_argument("--settle", type=float, default=0.03,
                        help="warm-up ends when two windows in a row differ by at most this fraction")
    parser.add_argument("--min-warmup", type=int, default=20, help="seconds of warm-up at least, per workload")
    parser.add_argument("--max-warmup", type=int, default=60, help="seconds of warm-up at most, per workload")
    parser.add_argument("--prewarm", type=int, default=15,
                        help="seconds of each workload, in turn, before the first is settled")
    parser.add_argument("--rounds", type=int, default=4,
                        help="measured rounds per start of a group: one run of every workload on every member")
    parser.add_argument("--starts", type=int, default=2,
                        help="times each group of compared applications is started (new JVMs), in turn")
    parser.add_argument("--sample-rounds", type=int, default=1,
                        help="starts of the applications no target compares (the fastsession sample on each "
                             "provider, the no-session application without an argument)")
    parser.add_argument("--sessions", type=int, default=3000, help="sessions created before each run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--apps", default="", help="comma-separated application keys to run (default: all)")
    parser.add_argument("--output", default=os.path.join(ROOT, "docs/benchmarks.md"))
    parser.add_argument("--no-jmh", action="store_true")
    parser.add_argument("--no-soak", action="store_true", help="skip the load soak")
    parser.add_argument("--soak-only", action="store_true",
                        help="run only the load soak and replace its section in the report")
    parser.add_argument("--soak-sessions", type=int, default=100000)
    parser.add_argument("--memory-only", action="store_true",
                        help="measure only the memory per session and replace its section and row in the report")
    parser.add_argument("--command", default="benchmarks/run.sh")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.window, args.min_warmup, args.max_warmup, args.prewarm = 1, 1, 1, 2, 1
        args.connections, args.rounds, args.starts, args.sessions = 8, 2, 1, 50
    for jar in (SAMPLE_JAR, PEER_JAR, JMH_JAR):
        if not os.path.exists(jar):
            raise SystemExit("missing %s: run benchmarks/run.sh, which builds it" % jar)
    log_dir = tempfile.mkdtemp(prefix="fastsession-bench-")
    log("logs in " + log_dir)
    backends = []
    work = None
    try:
        if args.memory_only:
            memory = run_memory(args)
            write_memory_only(args.output, memory, args.command)
            log("wrote the memory section of " + args.output)
            return
        if args.soak_only:
            redis = Redis(log_dir)
            section, results = run_soak(args, log_dir, redis)
            write_soak_section(args.output, section)
            log("wrote the soak section of " + args.output)
            check_soak(results)
            return
        wanted = [a for a in args.apps.split(",") if a] or None
        if args.smoke and not wanted:
            wanted = ["no-session-arg", "peer-fastsession-memory", "fastsession-memory"]

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
        peer_no_fastsession = ["--spring.autoconfigure.exclude=" + FASTSESSION_AUTOCONFIG]
        peer_memory = {app.key: app for app in peer_memory_apps()}
        apps = [
            App("no-session", "no sessions, no argument", PEER_JAR, ["--bench.mode=none"] + PEER_NO_SESSION_LIBRARY,
                fastsession=False, sessions=False, target=False, group="memory"),
            peer_memory["no-session-arg"],
            peer_memory["webflux-memory"],
            App("spring-session-redis", "Spring Session reactive Redis", PEER_JAR,
                ["--bench.mode=spring-session", "--spring.session.data.redis.repository-type=default"] + redis_url
                + peer_no_fastsession, backend=redis, fastsession=False, group="redis"),
            App("spring-session-redis-indexed", "Spring Session reactive Redis (indexed)", PEER_JAR,
                ["--bench.mode=spring-session", "--spring.session.data.redis.repository-type=indexed"] + redis_url
                + peer_no_fastsession, backend=redis, fastsession=False, group="redis"),
            peer_memory[MEMORY],
            App(REDIS, "peer app on fastsession redis", PEER_JAR,
                PEER_FASTSESSION + ["--fastsession.provider=redis"] + redis_url, backend=redis, group="redis"),
            App("fastsession-memory", "fastsession memory", SAMPLE_JAR, ["--fastsession.provider=memory"] + common,
                target=False),
            App("fastsession-file", "fastsession file", SAMPLE_JAR,
                ["--fastsession.provider=file", "--fastsession.file.directory=" + os.path.join(work, "files")]
                + common, target=False),
            App("fastsession-sqlite", "fastsession sqlite", SAMPLE_JAR,
                ["--fastsession.provider=sqlite", "--fastsession.sqlite.path=" + os.path.join(work, "sessions.db")]
                + common, target=False),
            App("fastsession-redis", "fastsession redis", SAMPLE_JAR, ["--fastsession.provider=redis"] + redis_url
                + common, backend=redis, target=False),
            App("fastsession-memcached", "fastsession memcached", SAMPLE_JAR,
                ["--fastsession.provider=memcached",
                 "--fastsession.memcached.servers=127.0.0.1:%d" % (memcached.port if memcached else 0)] + common,
                backend=memcached, target=False),
            App("fastsession-postgres", "fastsession postgres", SAMPLE_JAR,
                ["--fastsession.provider=postgres", "--fastsession.jdbc.url=" + (postgres.url() if postgres else ""),
                 "--fastsession.jdbc.username=postgres"] + common, backend=postgres, target=False),
            App("fastsession-mysql", "fastsession mysql (MariaDB)", SAMPLE_JAR,
                ["--fastsession.provider=mysql", "--fastsession.jdbc.url=" + (mariadb.url() if mariadb else ""),
                 "--fastsession.jdbc.username=root"] + common, backend=mariadb, target=False),
        ]
        apps = [a for a in apps if want(a.key)]
        runs = {app.key: {} for app in apps}
        groups = []
        for app in apps:
            if app.group not in groups:
                groups.append(app.group)
        for start_number in range(args.starts):
            for group in groups:
                members = [a for a in apps if a.group == group and (a.target or start_number < args.sample_rounds)]
                if not members:
                    continue
                for key, rows in run_group(members, start_number, args, log_dir).items():
                    for workload, results_of in rows.items():
                        runs[key].setdefault(workload, []).extend(results_of)
        results = {app.key: {key: summarize(app, rows) for key, rows in runs[app.key].items()} for app in apps}
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
            log("%-62s %.2fx %s (rounds: %s)" % (name, value, "" if minimum is None else (
                "met" if ok else "MISSED"), " ".join("%.2f" % r for r in rounds)))
        value, ok = memory_target(memory)
        if value is not None:
            log("%-62s %.2fx %s" % ("memory per session: fastsession / WebFlux", value, "met" if ok else "MISSED"))
        check_soak(soak_results)
        rows = [(app.key, r) for app in apps for r in results[app.key].values()]
        unanswered = sorted({key for key, r in rows if r["unanswered"] > 0})
        if unanswered:
            raise SystemExit("requests without an answer in: " + ", ".join(unanswered))
        failures = sorted({key for key, r in rows if r["errors"] > 0})
        if failures:
            raise SystemExit("requests failed in: " + ", ".join(failures))
    finally:
        stop_all()
        for backend in backends:
            try:
                backend.close()
            except Exception as error:
                log("cleanup failed: %s" % error)
        if work is not None:
            # The file and SQLite providers' sessions; the logs in log_dir are kept.
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
