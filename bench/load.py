"""Load generation: wrk when it can be had (C, one thread, cheap on a 2-core machine whose cores
the server also needs), else processes of keep-alive http.client connections.

Only 200 responses are counted; any other status is an error, because a 302 to the login page
answers fast and would flatter the page. Submissions are the exception: each request POSTs a
different fresh attempt's answers, and only the 302 to that attempt's result counts.
"""

from __future__ import annotations

import http.client
import multiprocessing
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .harness import BenchError

# wrk counts 3xx as success; this script counts statuses itself. Each wrk thread runs its own
# Lua state, so done() reads the counters back from every thread.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; bad = 0; bad_status = 0 end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1; bad_status = status end
end
function done(summary, latency, requests)
  local ok_total, bad_total, status = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    bad_total = bad_total + thread:get("bad")
    if thread:get("bad_status") ~= 0 then status = thread:get("bad_status") end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH ok=%d bad=%d bad_status=%d duration_us=%d socket_errors=%d p50_us=%d p99_us=%d\\n",
    ok_total, bad_total, status, summary.duration,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""

# Submissions: each request takes the next line of the file (args[1]), "<path>\t<cookie>\t<form
# body>": one fresh attempt each, posted as the learner whose attempt it is (her cookies), and
# never one twice: out of lines, the thread stops and says so.
# Success is the 302 to the attempt's result. A POST to an attempt already submitted gets the
# same 302 (only the race inside attempt_submit adds a message, in a cookie): no response can
# tell a repeat, so nothing is posted twice, and run.py checks afterwards that as many
# attempts were graded as 302s were counted.
WRK_SUBMIT_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  ok = 0; bad = 0; bad_status = 0; issued = 0; exhausted = 0
  queue = {}
  for line in io.lines(args[1]) do queue[#queue + 1] = line end
  headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
end
function request()
  local line = queue[issued + 1]
  if line == nil then
    exhausted = 1
    wrk.thread:stop()
    return wrk.format("GET", "/bench/no-fresh-attempt/")
  end
  issued = issued + 1
  local first = line:find("\t", 1, true)
  local second = line:find("\t", first + 1, true)
  headers["Cookie"] = line:sub(first + 1, second - 1)
  return wrk.format("POST", line:sub(1, first - 1), headers, line:sub(second + 1))
end
function response(status, headers, body)
  local location = headers["Location"] or ""
  local cookie = headers["Set-Cookie"] or ""
  if status == 302 and location:find("/result/", 1, true)
      and not cookie:find("messages=", 1, true) then
    ok = ok + 1
  else
    bad = bad + 1; bad_status = status
  end
end
function done(summary, latency, requests)
  local ok_total, bad_total, status, issued_total, exhausted_total = 0, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    bad_total = bad_total + thread:get("bad")
    issued_total = issued_total + thread:get("issued")
    exhausted_total = exhausted_total + thread:get("exhausted")
    if thread:get("bad_status") ~= 0 then status = thread:get("bad_status") end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH ok=%d bad=%d bad_status=%d duration_us=%d socket_errors=%d p50_us=%d p99_us=%d\\n",
    ok_total, bad_total, status, summary.duration,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
  io.write(string.format("SUBMIT issued=%d exhausted=%d\\n", issued_total, exhausted_total))
end
"""

_WRK_SUBMIT_LINE = re.compile(r"SUBMIT issued=(\d+) exhausted=(\d+)")

_WRK_LINE = re.compile(
    r"BENCH ok=(\d+) bad=(\d+) bad_status=(\d+) duration_us=(\d+) socket_errors=(\d+) "
    r"p50_us=(\d+) p99_us=(\d+)"
)


@dataclass(frozen=True)
class Result:
    ok: int
    seconds: float
    p50_ms: float | None = None
    p99_ms: float | None = None

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Submitted:
    """A load of submissions: its result, and which of the requests given it sent (indices).
    Those sent but not answered were in flight when the load stopped: the server may or may
    not have graded them."""

    result: Result
    sent: list[int]

    @property
    def in_flight(self) -> int:
        return len(self.sent) - self.result.ok


def _submit_failure(url: str, *, ok: int, bad: int, status: int, errors: int, sent: int) -> str:
    return (
        f"{url}: {bad} submissions were not the 302 to their result without a message (last "
        f"status {status}), {errors} socket errors, over {ok} good ones ({sent} sent). A 403 "
        "is the CSRF check, a 200 or 400 a form the view refused, a 302 to the login page a "
        "broken session."
    )


def _exhausted(url: str, *, sent: int, given: int, seconds: float) -> str:
    return (
        f"{url}: the load ran out of fresh attempts after {sent} of {given} in {seconds:.1f} s; "
        "it stopped rather than submit one twice. Make more (the margin is too small)."
    )


def wrk_ensure() -> str | None:
    """wrk's path, installing the Debian package when missing (as the Makefile does for
    Chromium); None when it cannot be installed."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") is None:
        return None
    print("wrk is missing: apt-get install -y wrk ...", flush=True)
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, capture_output=True, check=False, timeout=300).returncode != 0:
        # Stale package lists: refresh them once, as the Makefile does before installing.
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, check=False, timeout=300)
        subprocess.run(install, capture_output=True, check=False, timeout=300)
    return shutil.which("wrk")


@dataclass
class Wrk:
    binary: str
    script: Path
    connections: int

    @classmethod
    def prepare(cls, *, binary: str, directory: Path, connections: int) -> Wrk:
        script = directory / "count_statuses.lua"
        script.write_text(WRK_SCRIPT)
        (directory / "submit.lua").write_text(WRK_SUBMIT_SCRIPT)
        return cls(binary=binary, script=script, connections=connections)

    def submit(
        self, *, base: str, seconds: float, requests: list[tuple[str, str, str]]
    ) -> Submitted:
        """POST each (path, cookie, form body) once, in order, until the time is up."""
        queue = self.script.parent / "submissions.txt"
        queue.write_text("".join(f"{path}\t{cookie}\t{body}\n" for path, cookie, body in requests))
        command = [
            self.binary, "--threads", "1", "--connections", str(self.connections),
            "--duration", f"{max(1, round(seconds))}s", "--timeout", "10s",
            "--script", str(self.script.parent / "submit.lua"), base + "/", "--", str(queue),
        ]  # fmt: skip
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=seconds + 30
        )
        match = _WRK_LINE.search(done.stdout)
        submit = _WRK_SUBMIT_LINE.search(done.stdout)
        if done.returncode != 0 or match is None or submit is None:
            raise BenchError(f"wrk failed submitting to {base}:\n{done.stdout}{done.stderr}")
        ok, bad, bad_status, duration_us, socket_errors, p50, p99 = map(int, match.groups())
        sent, exhausted = map(int, submit.groups())
        if exhausted:
            raise BenchError(
                _exhausted(base, sent=sent, given=len(requests), seconds=duration_us / 1e6)
            )
        if bad or socket_errors:
            raise BenchError(
                _submit_failure(
                    base, ok=ok, bad=bad, status=bad_status, errors=socket_errors, sent=sent
                )
            )
        result = Result(ok=ok, seconds=duration_us / 1e6, p50_ms=p50 / 1e3, p99_ms=p99 / 1e3)
        return Submitted(result=result, sent=list(range(sent)))

    def run(self, *, url: str, cookie: str, seconds: float) -> Result:
        command = [
            self.binary, "--threads", "1", "--connections", str(self.connections),
            "--duration", f"{max(1, round(seconds))}s", "--timeout", "10s",
            "--script", str(self.script), "--header", f"Cookie: {cookie}", url,
        ]  # fmt: skip
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=seconds + 30
        )
        match = _WRK_LINE.search(done.stdout)
        if done.returncode != 0 or match is None:
            raise BenchError(f"wrk failed on {url}:\n{done.stdout}{done.stderr}")
        ok, bad, bad_status, duration_us, socket_errors, p50, p99 = map(int, match.groups())
        if bad or socket_errors:
            raise BenchError(
                f"{url}: {bad} responses were not 200 (last status {bad_status}), "
                f"{socket_errors} socket errors, over {ok} good ones. A 302 means the session "
                "or the enrolment is broken."
            )
        return Result(ok=ok, seconds=duration_us / 1e6, p50_ms=p50 / 1e3, p99_ms=p99 / 1e3)


def _worker_init() -> None:
    # The parent's handlers are inherited through fork: the pool is ended with SIGTERM, and
    # Ctrl-C is the parent's to handle.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _python_worker(args: tuple[int, str, str, float]) -> tuple[int, int, int]:
    port, path, cookie, deadline = args
    headers = {"Host": f"127.0.0.1:{port}", "Cookie": cookie}
    ok = bad = last_bad = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.monotonic() < deadline:
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        if response.status == 200:
            ok += 1
        else:
            bad += 1
            last_bad = response.status
        if response.will_close:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.close()
    return ok, bad, last_bad


def _python_submit_worker(
    args: tuple[int, float, list[tuple[str, str, str]]],
) -> tuple[int, int, int, int, bool]:
    """POST each of its own (path, cookie, body) once; a socket error is a failure, never a
    retry."""
    port, deadline, requests = args
    headers = {
        "Host": f"127.0.0.1:{port}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    ok = bad = last_bad = sent = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.monotonic() < deadline:
        if sent == len(requests):
            conn.close()
            return ok, bad, last_bad, sent, True
        path, cookie, body = requests[sent]
        sent += 1
        try:
            conn.request("POST", path, body=body, headers={**headers, "Cookie": cookie})
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            bad += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        cookies = " ".join(response.headers.get_all("Set-Cookie") or [])
        if (
            response.status == 302
            and "/result/" in (response.getheader("Location") or "")
            and "messages=" not in cookies
        ):
            ok += 1
        else:
            bad += 1
            last_bad = response.status
        if response.will_close:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.close()
    return ok, bad, last_bad, sent, False


@dataclass
class PythonClient:
    """Fallback: one process per connection, each a keep-alive http.client loop. It costs the
    server CPU time that wrk would not, so its ratios understate the gap between pages."""

    connections: int

    def run(self, *, url: str, cookie: str, seconds: float) -> Result:
        port = int(url.split(":")[2].split("/")[0])
        path = "/" + url.split("/", 3)[3]
        context = multiprocessing.get_context("fork")
        with context.Pool(self.connections, initializer=_worker_init) as pool:
            start = time.monotonic()
            deadline = start + seconds
            counts = pool.map(_python_worker, [(port, path, cookie, deadline)] * self.connections)
            elapsed = time.monotonic() - start
        ok = sum(c[0] for c in counts)
        bad = sum(c[1] for c in counts)
        if bad:
            last = next(c[2] for c in counts if c[1])
            raise BenchError(
                f"{url}: {bad} responses were not 200 (status {last}) over {ok} good ones. "
                "A 302 means the session or the enrolment is broken."
            )
        return Result(ok=ok, seconds=elapsed)

    def submit(
        self, *, base: str, seconds: float, requests: list[tuple[str, str, str]]
    ) -> Submitted:
        """Each connection POSTs its own contiguous share of the requests, each once."""
        port = int(base.rsplit(":", 1)[1])
        share = len(requests) // self.connections
        starts = [i * share for i in range(self.connections)]
        context = multiprocessing.get_context("fork")
        with context.Pool(self.connections, initializer=_worker_init) as pool:
            start = time.monotonic()
            deadline = start + seconds
            counts = pool.map(
                _python_submit_worker,
                [(port, deadline, requests[i : i + share]) for i in starts],
            )
            elapsed = time.monotonic() - start
        ok = sum(c[0] for c in counts)
        bad = sum(c[1] for c in counts)
        sent = [first + i for first, c in zip(starts, counts, strict=True) for i in range(c[3])]
        if any(c[4] for c in counts):
            raise BenchError(_exhausted(base, sent=len(sent), given=len(requests), seconds=elapsed))
        if bad:
            last = next(c[2] for c in counts if c[1])
            raise BenchError(
                _submit_failure(base, ok=ok, bad=bad, status=last, errors=0, sent=len(sent))
            )
        return Submitted(result=Result(ok=ok, seconds=elapsed), sent=sent)
