#!/usr/bin/env python3
"""Run Shoko's real production stack on this machine and run a command against it.

    .venv/bin/python deploy/stack.py -- .venv/bin/python -m pytest -m production tests/production
    .venv/bin/python deploy/stack.py --keep          # start it and wait (Ctrl-C stops it)

What starts, as docs/operations.md deploys it: PostgreSQL (a throwaway cluster, or
``--database-url``), Redis (Debian's redis-server) as the shared cache, ``migrate``,
``collectstatic`` and ``check --deploy`` under production settings, ``seed_demo``, two granian
app servers, the task worker, and nginx in front with the shipped configuration
(deploy/nginx/shoko.conf, rendered by deploy/render_nginx.py) and a self-signed certificate made
now. The command runs with the stack's addresses in its environment (``SHOKO_STACK_*``, below)
and the app's own settings, so that it can also run ``manage.py`` against the same database.

Every server listens on 127.0.0.1 only, on the ports given (``--base-port``: HTTP, HTTPS, purge,
then one per app server; ``--redis-port``; ``--pg-port``), and everything started is stopped at
the end, also when the command fails.

Only the standard library: bench/bench_frontcache.py imports ``Stack`` from here.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import pwd
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

from render_nginx import parser as render_parser  # noqa: E402
from render_nginx import render, values_from  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
HOST = "localhost"


def log(message: str) -> None:
    print(f"[stack {time.strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class Stack:
    """The production stack in ``directory`` (a fresh temporary one by default)."""

    base_port: int = 8170
    redis_port: int = 6390
    pg_port: int = 54331
    app_servers: int = 2
    workers_per_server: int = 1
    database_url: str | None = None
    seed: bool = True
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="shoko-stack-")))
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _own_pg: Path | None = None

    # --- addresses ----------------------------------------------------------------------------
    @property
    def http_port(self) -> int:
        return self.base_port

    @property
    def https_port(self) -> int:
        return self.base_port + 1

    @property
    def purge_port(self) -> int:
        return self.base_port + 2

    @property
    def app_ports(self) -> list[int]:
        return [self.base_port + 3 + i for i in range(self.app_servers)]

    @property
    def url(self) -> str:
        return f"https://{HOST}:{self.https_port}"

    @property
    def var(self) -> Path:
        return self.directory / "var"

    @property
    def logs(self) -> Path:
        return self.directory / "logs"

    # --- environment --------------------------------------------------------------------------
    def app_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHOKO_")}
        env.pop("DATABASE_URL", None)
        env.update(
            {
                "SHOKO_ENV": "production",
                "SHOKO_SECRET_KEY": self._secret(),
                "SHOKO_ALLOWED_HOSTS": json.dumps([HOST]),
                "SHOKO_CSRF_TRUSTED_ORIGINS": json.dumps([self.url]),
                "SHOKO_SITE_URL": self.url,
                "SHOKO_BEHIND_PROXY": "true",
                "SHOKO_VAR_DIR": str(self.var),
                "SHOKO_CACHE": f"redis://127.0.0.1:{self.redis_port}/0",
                "SHOKO_FRONT_CACHE_PURGE_URL": f"http://127.0.0.1:{self.purge_port}",
                "SHOKO_X_ACCEL_REDIRECT": "true",
                "SHOKO_EMAIL_BACKEND": "console",
                "SHOKO_LOG_LEVEL": "WARNING",
                "SHOKO_MAP_TILE_URL": "",
                "DATABASE_URL": self.database_url or "",
            }
        )
        return env

    def stack_env(self) -> dict[str, str]:
        """What a command run against the stack is told: its addresses. The app's own settings
        are in SHOKO_STACK_DIR/app-env.json, for running manage.py against the stack."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHOKO_")}
        env.pop("DATABASE_URL", None)
        return {
            **env,
            "SHOKO_STACK_URL": self.url,
            "SHOKO_STACK_HTTP_URL": f"http://{HOST}:{self.http_port}",
            "SHOKO_STACK_APPS": ",".join(f"http://127.0.0.1:{p}" for p in self.app_ports),
            "SHOKO_STACK_PURGE_URL": f"http://127.0.0.1:{self.purge_port}",
            "SHOKO_STACK_REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "SHOKO_STACK_DIR": str(self.directory),
            "SHOKO_STACK_CA": str(self.directory / "tls" / "shoko.crt"),
            "SHOKO_STACK_ENV_FILE": str(self.directory / "app-env.json"),
        }

    def _secret(self) -> str:
        path = self.directory / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(64))
        return path.read_text()

    # --- start and stop ---------------------------------------------------------------------
    def start(self) -> None:
        started = time.monotonic()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        for sub in ("static", "media", "private", "nginx-cache"):
            (self.var / sub).mkdir(parents=True, exist_ok=True)
        self._start_postgres()
        self._start_redis()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("check", "--deploy", "--fail-level", "WARNING")
        if self.seed:
            self.manage("seed_demo", "--force", quiet=True)
        for port in self.app_ports:
            self._spawn(
                f"granian-{port}",
                [
                    str(VENV_BIN / "granian"),
                    "--interface",
                    "wsgi",
                    "shoko.wsgi:application",
                    "--workers",
                    str(self.workers_per_server),
                    "--blocking-threads",
                    "1",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--backlog",
                    "2048",
                    "--log-level",
                    "warning",
                ],
            )
        self._spawn(
            "worker",
            [str(VENV_BIN / "python"), "manage.py", "db_worker", "--queue-name=*", "--no-reload"],
        )
        for port in self.app_ports:
            self._wait_http(f"http://127.0.0.1:{port}/healthz", f"granian-{port}")
        self._start_nginx()
        app_env = {k: v for k, v in self.app_env().items() if k.startswith("SHOKO_")}
        app_env["DATABASE_URL"] = self.app_env()["DATABASE_URL"]
        (self.directory / "app-env.json").write_text(json.dumps(app_env, indent=2))
        (self.directory / "app-env.json").chmod(0o600)
        log(f"stack up in {time.monotonic() - started:.0f} s: {self.url}")

    def stop(self) -> None:
        # A second Ctrl-C (or a TERM) must not leave half the stack running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for name, proc in reversed(list(self.processes.items())):
            stop_process_group(proc)
            log(f"stopped {name}")
        self.processes.clear()
        if self._own_pg is not None:
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(self._own_pg), "-m", "fast", "stop"])
            log("stopped postgresql")
            self._own_pg = None

    def manage(self, *args: str, quiet: bool = False) -> str:
        result = subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
            [str(VENV_BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.app_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            command = " ".join(args)
            raise RuntimeError(f"manage.py {command} failed:\n{result.stdout}{result.stderr}")
        if not quiet and result.stdout.strip():
            print(result.stdout.strip(), flush=True)
        return result.stdout

    # --- the parts ------------------------------------------------------------------------------
    def _spawn(self, name: str, command: list[str], *, env: dict[str, str] | None = None) -> None:
        out = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603  (fixed commands)
            command,
            cwd=ROOT,
            env=env if env is not None else self.app_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _start_postgres(self) -> None:
        if self.database_url:
            _create_database(self.database_url)
            return
        data = self.directory / "pg"
        data.mkdir()
        if os.geteuid() == 0:
            self.directory.chmod(0o755)
            shutil.chown(data, "postgres", "postgres")
        data.chmod(0o700)
        log(f"starting PostgreSQL on 127.0.0.1:{self.pg_port}")
        _as_postgres(
            [
                _pg_bin("initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ]
        )
        _as_postgres(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(data / "server.log"),
                "-w",
                "-o",
                f"-p {self.pg_port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ]
        )
        self._own_pg = data
        self.database_url = f"postgres://postgres@127.0.0.1:{self.pg_port}/shoko"
        _create_database(self.database_url)

    def _start_redis(self) -> None:
        redis = shutil.which("redis-server")
        if redis is None:
            raise RuntimeError("redis-server is missing: apt-get install redis-server")
        log(f"starting Redis on 127.0.0.1:{self.redis_port}")
        self._spawn(
            "redis",
            [
                redis,
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            env=dict(os.environ),
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                import socket

                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"Redis did not start: {self._tail('redis')}")

    def _start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise RuntimeError("nginx is missing: apt-get install nginx-light")
        tls = self.directory / "tls"
        tls.mkdir(exist_ok=True)
        make_certificate(tls / "shoko.crt", tls / "shoko.key", HOST)
        prefix = self.directory / "nginx"
        (prefix / "logs").mkdir(parents=True, exist_ok=True)
        args = render_parser().parse_args(
            [
                "--server-name",
                HOST,
                "--certificate",
                str(tls / "shoko.crt"),
                "--certificate-key",
                str(tls / "shoko.key"),
                *[a for port in self.app_ports for a in ("--app", f"127.0.0.1:{port}")],
                "--static-root",
                str(self.var / "static"),
                "--media-root",
                str(self.var / "media"),
                "--private-root",
                str(self.var / "private"),
                "--cache-dir",
                str(self.var / "nginx-cache"),
                "--http-listen",
                f"127.0.0.1:{self.http_port}",
                "--https-listen",
                f"127.0.0.1:{self.https_port}",
                "--purge-listen",
                f"127.0.0.1:{self.purge_port}",
            ]
        )
        (prefix / "shoko.conf").write_text(render(values_from(args)))
        user = ""
        if os.geteuid() == 0:
            # nginx's workers drop root: they read the files and write their cache as www-data.
            user = "user www-data;"
            for path in (self.directory, self.var, self.var / "static", self.var / "media"):
                path.chmod(0o755)
            for path in (self.var / "private", tls):
                path.chmod(0o711)  # the workers reach known names; they cannot list
            subprocess.run(["chown", "-R", "www-data", str(self.var / "nginx-cache")], check=True)  # noqa: S603, S607
            subprocess.run(["chmod", "-R", "a+rX", str(self.var / "static")], check=True)  # noqa: S603, S607
        # Debian's module snippets name paths relative to /etc/nginx: load what we use directly.
        modules = "\n".join(
            f"load_module {path};"
            for path in sorted(Path("/usr/lib/nginx/modules").glob("ngx_http_brotli_*.so"))
        )
        (prefix / "nginx.conf").write_text(
            f"""{user}
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
{modules}
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    types {{ application/geo+json geojson; text/csv csv; text/calendar ics; }}
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/shoko.conf;
}}
"""
        )
        check = subprocess.run(  # noqa: S603
            [nginx, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t refused the configuration:\n{check.stderr}")
        self._spawn(
            "nginx",
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            env=dict(os.environ),
        )
        self._wait_http(f"{self.url}/healthz", "nginx")

    def _wait_http(self, url: str, name: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc = self.processes.get(name)
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"{name} stopped:\n{self._tail(name)}")
            try:
                # App servers are asked as nginx asks them: for the site's host, over HTTPS.
                if get(url, {"Host": HOST, "X-Forwarded-Proto": "https"})[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer {url}:\n{self._tail(name)}")

    def _tail(self, name: str, lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def tails(self) -> str:
        return "\n".join(f"--- {name}\n{self._tail(name)}" for name in self.processes)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """A GET to the stack (its certificate is self-signed: not verified)."""
    scheme, rest = url.split("://", 1)
    authority, _, path = rest.partition("/")
    _host, _, port = authority.partition(":")
    connection: http.client.HTTPConnection
    if scheme == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(
            "127.0.0.1", int(port or 443), timeout=10, context=context
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", int(port or 80), timeout=10)
    try:
        connection.request("GET", "/" + path, headers={"Host": authority, **(headers or {})})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def make_certificate(certificate: Path, key: Path, host: str) -> None:
    """A self-signed certificate for ``host``, made now with openssl (never committed)."""
    subprocess.run(  # noqa: S603
        [
            shutil.which("openssl") or "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={host}",
            "-addext",
            f"subjectAltName=DNS:{host},IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    key.chmod(0o600)


def _pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL is missing: apt-get install postgresql")
    return str(versions[-1] / name)


def _as_postgres(command: list[str]) -> None:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603


def _create_database(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    """TERM the process and its children (started with start_new_session), KILL if need be."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@contextmanager
def running(stack: Stack, *, keep_directory: bool = False) -> Iterator[Stack]:
    try:
        stack.start()
        yield stack
    except BaseException:
        print(stack.tails(), file=sys.stderr, flush=True)
        raise
    finally:
        stack.stop()
        if not keep_directory:
            shutil.rmtree(stack.directory, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-port", type=int, default=8170)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--pg-port", type=int, default=54331)
    parser.add_argument("--database-url", help="an existing server's database (recreated)")
    parser.add_argument("--app-servers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="stay up until interrupted")
    parser.add_argument("command", nargs="*", help="run this against the stack, then stop")
    args = parser.parse_args()
    stack = Stack(
        base_port=args.base_port,
        redis_port=args.redis_port,
        pg_port=args.pg_port,
        app_servers=args.app_servers,
        database_url=args.database_url,
    )
    if pwd.getpwuid(os.geteuid()).pw_name == "root":
        stack.directory.chmod(0o755)

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)  # stopped by its id: stop the stack, then exit
    code = 0
    with running(stack):
        if args.command:
            log(f"running: {' '.join(args.command)}")
            code = subprocess.run(  # noqa: S603  (the command we were given)
                args.command, cwd=ROOT, env=stack.stack_env(), check=False
            ).returncode
        if args.keep:
            log(f"up; Ctrl-C or `kill {os.getpid()}` stops it")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    sys.exit(code)


if __name__ == "__main__":
    main()
