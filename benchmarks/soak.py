"""Load soak: many distinct sessions through the sample, then steady mixed traffic on them.

Used by run.py (``--soak``; the smoke run does a tiny one). For each provider it:

1. creates ``sessions`` distinct sessions with ``POST /api/counter`` (no cookie), recording
   every issued id;
2. runs ``intervals`` consecutive wrk runs of mixed traffic (half ``GET``, half ``POST``)
   on random sessions from that set, and after each one forces a full GC in the
   application (``jcmd GC.run``) and reads the heap used from its Actuator metrics.

It reports per interval: requests/s, p99, errors (non-2xx and socket errors), requests
without an answer (wrk's timeouts, see wrkout.py), sessions
lost (a request with a known cookie that was answered with a new one) and heap after GC.
"""

import glob
import json
import os
import re
import subprocess

import wrkout

CREATE_LUA = r"""
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
end
function init(args)
  target = tonumber(os.getenv("SOAK_PER_THREAD"))
  created = 0
  file = io.open(os.getenv("SOAK_DIR") .. "/ids-" .. os.getenv("SOAK_RUN") .. "-" .. index .. ".txt", "w")
  file:setvbuf("line")
end
wrk.method = "POST"
function response(status, headers, body)
  local cookie = headers["set-cookie"] or headers["Set-Cookie"]
  if status == 200 and cookie then
    local id = string.match(cookie, "SESSION=([^;]+)")
    if id and created < target then
      file:write(id, "\n")
      created = created + 1
    end
  end
  if created >= target then
    file:flush()
    wrk.thread:stop()
  end
end
"""

LOAD_LUA = r"""
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end
function init(args)
  ids = {}
  for _, path in ipairs(SOAK_FILES) do
    for line in io.lines(path) do ids[#ids + 1] = line end
  end
  lost = 0
  math.randomseed(os.time() * 1000 + index)
end
function request()
  local id = ids[math.random(#ids)]
  local method = (math.random() < 0.5) and "GET" or "POST"
  return wrk.format(method, "/api/counter", { ["Cookie"] = "SESSION=" .. id })
end
function response(status, headers, body)
  if headers["set-cookie"] or headers["Set-Cookie"] then lost = lost + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("lost") end
  io.write(string.format("LOST %d\n", total))
end
"""


def _wrk(url, seconds, script, env, threads=2, connections=32, timeout_extra=120):
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", "%ds" % seconds, "--latency",
                          "--timeout", wrkout.TIMEOUT, "-s", script, url], capture_output=True, text=True, env=env,
                         timeout=seconds + timeout_extra).stdout
    return out


def _parse(out):
    result = wrkout.parse(out)
    lost = re.search(r"LOST (\d+)", out)
    result["lost"] = int(lost.group(1)) if lost else None
    return result


def heap_after_gc(app, http):
    subprocess.run(["jcmd", str(app.proc.pid), "GC.run"], capture_output=True, timeout=60)
    status, _, body = http("GET", app.url("/actuator/metrics/jvm.memory.used?tag=area:heap"))
    if status != 200:
        return None
    return json.loads(body)["measurements"][0]["value"] / (1024 * 1024)


def run(app, sessions, intervals, seconds, work_dir, http, log):
    """Soak one started application; returns a row per interval plus the creation run."""
    ids_dir = os.path.join(work_dir, "soak-" + app.key)
    os.makedirs(ids_dir, exist_ok=True)
    threads = 2
    create_script = os.path.join(ids_dir, "create.lua")
    with open(create_script, "w") as f:
        f.write(CREATE_LUA)
    log("soak %s: creating %d sessions" % (app.label, sessions))
    created, create_errors, create_unanswered, run_number = 0, 0, 0, 0
    # wrk cannot stop itself early, so the sessions are created in short runs, each asked
    # for what is still missing, until there are enough.
    while created < sessions:
        run_number += 1
        if run_number > 100:
            raise RuntimeError("soak: could not create %d sessions (%d)" % (sessions, created))
        missing = sessions - created
        env = dict(os.environ, SOAK_DIR=ids_dir, SOAK_RUN=str(run_number),
                   SOAK_PER_THREAD=str((missing + threads - 1) // threads))
        creation = _parse(_wrk(app.url("/api/counter"), 10, create_script, env, threads))
        create_errors += creation["errors"]
        create_unanswered += creation["unanswered"]
        files = sorted(glob.glob(os.path.join(ids_dir, "ids-*.txt")))
        created = sum(1 for path in files for _ in open(path))
    load_script = os.path.join(ids_dir, "load.lua")
    with open(load_script, "w") as f:
        f.write("SOAK_FILES = {%s}\n" % ", ".join('"%s"' % path for path in files))
        f.write(LOAD_LUA)
    rows = []
    for interval in range(intervals):
        result = _parse(_wrk(app.url("/api/counter"), seconds, load_script, env, threads))
        result["heap_mb"] = heap_after_gc(app, http)
        result["interval"] = interval + 1
        rows.append(result)
        log("soak %s interval %d: %.0f req/s p99 %.2f ms errors %d lost %s heap %.1f MB" % (
            app.label, interval + 1, result["rps"], result["p99"], result["errors"], result["lost"],
            result["heap_mb"] or -1))
    return {"created": created, "create_errors": create_errors, "create_unanswered": create_unanswered,
            "intervals": rows,
            "stored": app.stored_sessions()}


def markdown(results, sessions, intervals, seconds, command):
    lines = ["## Load soak\n",
             "Generated by `%s`. Each provider first gets %d distinct sessions (`POST /api/counter` without a "
             "cookie, one new visitor per request), then %d consecutive runs of %ds of mixed traffic (half `GET`, "
             "half `POST /api/counter`) on random sessions of that set, wrk with 2 threads and 32 connections. "
             "After each run the application is made to collect garbage (`jcmd GC.run`) and its heap use is read "
             "from `/actuator/metrics/jvm.memory.used`. *lost* counts requests that carried a known session and were "
             "answered with a new one.\n" % (command, sessions, intervals, seconds)]
    for label, result in results:
        lines.append("**%s**: %d sessions created (%d errors), %s stored at the end.\n" % (
            label, result["created"], result["create_errors"],
            result["stored"] if result["stored"] is not None else "?"))
        lines.append("| run | req/s | p99 ms | errors | no answer | sessions lost | heap after GC (MB) |")
        lines.append("|---:|---:|---:|---:|---:|---:|---:|")
        for row in result["intervals"]:
            lines.append("| %d | %.0f | %.2f | %d | %d | %s | %s |" % (
                row["interval"], row["rps"], row["p99"], row["errors"], row["unanswered"],
                row["lost"] if row["lost"] is not None else "?",
                "%.1f" % row["heap_mb"] if row["heap_mb"] is not None else "?"))
        lines.append("")
    return "\n".join(lines) + "\n"
