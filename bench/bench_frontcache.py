"""The shipped stack's front cache against nginx serving a static copy of the same pages, in one
run, measured with wrk (Debian's ``wrk``): requests/s, p50/p99, and the ratio.

    .venv/bin/python bench/bench_frontcache.py                 # 10 s per measurement
    .venv/bin/python bench/bench_frontcache.py --seconds 5 --connections 32

The stack is deploy/stack.py's (production settings, two granian app servers, the worker,
PostgreSQL, Redis, nginx with deploy/nginx/shoko.conf and TLS). The static copies are saved into
the stack's STATIC_ROOT and served by the same nginx, same server block, same TLS, so the two
differ only by what the issue asks about: a cached page against a file. wrk sends no
Accept-Encoding, so neither side compresses.

Then an edit: staff change a shop's description through the API while the page is cached in
nginx, and the page is fetched through nginx every 10 ms until it shows the edit.

Targets (issue 17): cached pages >= 80% of nginx static req/s, p99 < 5 ms, an edit visible
within 1 s. Every request goes to 127.0.0.1; runs are bounded in time; everything started is
stopped. The machine is shared: the figures come with `uptime`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

from stack import Stack, get, running  # noqa: E402

PASSWORD = "shoko-demo-2026"


def wrk(url: str, seconds: float, connections: int, threads: int) -> dict[str, float]:
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    out = subprocess.run(
        [
            binary,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds:.0f}s",
            "--latency",
            "--timeout",
            "5s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if found is None:
        raise SystemExit(f"wrk printed no rate:\n{out}")
    rps = float(found.group(1))
    lat: dict[str, float] = {}
    for pct in ("50", "99"):
        m = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)\b", out)
        value = float(m.group(1)) if m else float("nan")
        unit = m.group(2) if m else "ms"
        lat[pct] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": lat["50"],
        "p99": lat["99"],
        "non2xx": float(errors.group(1)) if errors else 0.0,
        "socket_errors": 1.0 if socket_errors else 0.0,
    }


def line(name: str, r: dict[str, float], extra: str = "") -> None:
    bad = ""
    if r["non2xx"]:
        bad += f" non-2xx={r['non2xx']:.0f}"
    if r["socket_errors"]:
        bad += " socket-errors"
    print(
        f"  {name:<30} {r['rps']:9.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:6.2f} ms"
        f"{bad}{extra}",
        flush=True,
    )


def edit_visible_after(stack: Stack) -> float:
    """Seconds from the end of a staff edit (API, first app server) to the page showing it
    through nginx."""

    app = f"http://127.0.0.1:{stack.app_ports[0]}"
    headers = {"Host": "localhost", "X-Forwarded-Proto": "https"}
    token = _json_request(
        app + "/api/v1/auth/token/",
        "POST",
        {"username": "economy@demo.shoko.example", "password": PASSWORD},
        headers,
    )["token"]
    shops = json.loads(get(stack.url + "/api/v1/public/shops/")[2])
    shop = (shops["results"] if isinstance(shops, dict) else shops)[0]["id"]
    page = f"{stack.url}/en/shops/{shop}/"
    for _ in range(3):
        get(page)
    words = f"Bench edit {time.time_ns()}"
    _json_request(
        f"{app}/api/v1/directory/shops/{shop}/",
        "PATCH",
        {"description_en": words},
        {**headers, "Authorization": f"Token {token}"},
    )
    saved = time.monotonic()
    while time.monotonic() - saved < 10:
        if words in get(page)[2].decode():
            return time.monotonic() - saved
        time.sleep(0.01)
    return float("inf")


def _json_request(url: str, method: str, data: dict[str, Any], headers: dict[str, str]) -> Any:
    import urllib.request

    request = urllib.request.Request(
        url,
        data=json.dumps(data).encode(),
        method=method,
        headers={**headers, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--base-port", type=int, default=8170)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--pg-port", type=int, default=54331)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_PG_URL"))
    args = parser.parse_args()
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    stack = Stack(
        base_port=args.base_port,
        redis_port=args.redis_port,
        pg_port=args.pg_port,
        database_url=args.database_url,
    )
    targets: list[tuple[str, bool]] = []
    with running(stack):
        shops = json.loads(get(stack.url + "/api/v1/public/shops/")[2])
        shop = (shops["results"] if isinstance(shops, dict) else shops)[0]
        pages = {
            "home": "/en/",
            "street list": "/en/streets/",
            "shop": f"/en/shops/{shop['id']}/",
            "search": "/en/search/?q=ramen",
        }
        copies = stack.var / "static" / "bench"
        copies.mkdir(parents=True, exist_ok=True)
        copies.chmod(0o755)
        for name, path in pages.items():
            status, _headers, body = get(stack.url + path)
            assert status == 200, (path, status)
            target = copies / (name.replace(" ", "-") + ".html")
            target.write_bytes(body)
            target.chmod(0o644)
            get(stack.url + path)
            assert get(stack.url + path)[1].get("x-front-cache") in ("HIT", "STALE", "UPDATING")
        print(
            f"\n== {args.connections} connections, {args.threads} wrk threads, "
            f"{args.seconds:.0f} s each, HTTPS through nginx on 127.0.0.1 (2 cores shared)"
        )
        ratios = []
        p99s = []
        for name, path in pages.items():
            cached = wrk(stack.url + path, args.seconds, args.connections, args.threads)
            static = wrk(
                f"{stack.url}/static/bench/{name.replace(' ', '-')}.html",
                args.seconds,
                args.connections,
                args.threads,
            )
            ratio = cached["rps"] / static["rps"] if static["rps"] else 0.0
            ratios.append(ratio)
            p99s.append(cached["p99"])
            line(f"{name} (front cache)", cached)
            line(f"{name} (nginx static copy)", static, f"   ratio {ratio * 100:.0f}%")
        visible = edit_visible_after(stack)
        print(f"\n  edit visible through nginx after {visible * 1000:.0f} ms")
        targets = [
            (
                f"cached pages >= 80% of nginx static (worst {min(ratios) * 100:.0f}%)",
                min(ratios) >= 0.8,
            ),
            (f"p99 < 5 ms (worst {max(p99s):.2f} ms)", max(p99s) < 5),
            (f"edit visible within 1 s ({visible * 1000:.0f} ms)", visible < 1),
        ]
    print("\nTargets:")
    for text, ok in targets:
        print(f"  [{'met' if ok else 'MISSED'}] {text}")
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()
