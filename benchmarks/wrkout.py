"""Reading wrk's output, the same way for every run of the benchmark and the soak."""

import re

# How long wrk waits for an answer before it counts the request as unanswered: the
# applications' store timeout (2 s) and a margin. A request that the application does not
# answer in that time is a hang, not a slow answer: fastsession answers 503 at the store
# timeout.
TIMEOUT = "3s"


def _millis(match):
    value = float(match.group(1))
    return value / 1000 if match.group(2) == "us" else (value * 1000 if match.group(2) == "s" else value)


def parse(out):
    """Requests, req/s, latency percentiles, errors and unanswered requests of one wrk run.

    *unanswered* is wrk's timeout count: requests still without an answer after TIMEOUT,
    counted again at each of wrk's checks (every 2 s) while the connection stays stuck, so a
    connection that stopped answering shows up as at least one. A connection that stops in
    the last seconds of a run can escape it; the keep-alive tests in ./mvnw verify are the
    exact check. *errors* counts every failure, unanswered requests included.
    """
    result = {"requests": int(re.search(r"(\d+) requests in", out).group(1)),
              "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for percentile in ("50", "99"):
        match = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % percentile, out)
        if match:
            result["p" + percentile] = _millis(match)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["unanswered"] = int(socket_errors.group(4)) if socket_errors else 0
    result["errors"] = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(g) for g in socket_errors.groups()) if socket_errors else 0)
    return result
