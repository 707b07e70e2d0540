#!/usr/bin/env python3
"""Write Shoko's nginx site file from the shipped template, deploy/nginx/shoko.conf.

    python3 deploy/render_nginx.py --server-name shoko.example.jp \\
        --certificate /etc/letsencrypt/live/shoko.example.jp/fullchain.pem \\
        --certificate-key /etc/letsencrypt/live/shoko.example.jp/privkey.pem \\
        --app 10.0.0.11:8000 --app 10.0.0.12:8000 \\
        --static-root /srv/shoko/var/static --media-root /srv/shoko/var/media \\
        --private-root /srv/shoko/var/private --cache-dir /var/cache/nginx/shoko \\
        --purge-listen 10.0.0.10:8081 --purge-allow 10.0.0.0/24 > /etc/nginx/sites-enabled/shoko

Only the standard library: it runs before Shoko's virtual environment exists. Every placeholder
must be filled and none may be left over; a missing value stops with its name.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "shoko.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
BROTLI = """\
    # Brotli (Debian's libnginx-mod-http-brotli-filter), for browsers that ask for it.
    brotli on;
    brotli_comp_level 5;
    brotli_min_length 512;
    brotli_types text/css text/plain text/csv text/calendar application/javascript
                 application/json application/geo+json application/xml image/svg+xml;
"""


def render(values: dict[str, str], template: str | None = None) -> str:
    text = template if template is not None else TEMPLATE.read_text(encoding="utf-8")
    wanted = set(re.findall(r"@@([A-Z_]+)@@", text))
    missing = sorted(wanted - values.keys())
    if missing:
        raise SystemExit(f"render_nginx: no value for {', '.join(missing)}")
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], text)


def _port_of(listen: str) -> str:
    return listen.rsplit(":", 1)[-1]


def values_from(args: argparse.Namespace) -> dict[str, str]:
    https_port = _port_of(args.https_listen)
    brotli = args.brotli == "on" or (args.brotli == "auto" and BROTLI_MODULE.exists())
    return {
        "SERVER_NAME": " ".join(args.server_name),
        "HTTP_LISTEN": args.http_listen,
        "HTTPS_LISTEN": args.https_listen,
        "HTTPS_AUTHORITY": "$host" if https_port == "443" else f"$host:{https_port}",
        "TLS_CERTIFICATE": str(args.certificate),
        "TLS_CERTIFICATE_KEY": str(args.certificate_key),
        "APP_SERVERS": "\n".join(
            f"    server {app} max_fails=3 fail_timeout=5s;" for app in args.app
        ),
        "STATIC_ROOT": str(args.static_root).rstrip("/"),
        "MEDIA_ROOT": str(args.media_root).rstrip("/"),
        "PRIVATE_ROOT": str(args.private_root).rstrip("/"),
        "CACHE_DIR": str(args.cache_dir),
        "CACHE_MAX_SIZE": args.cache_max_size,
        "CLIENT_MAX_BODY_SIZE": args.client_max_body_size,
        "HSTS_SECONDS": str(args.hsts_seconds),
        "PURGE_LISTEN": args.purge_listen,
        "PURGE_ALLOW": "\n".join(f"    allow {net};" for net in ["127.0.0.1", *args.purge_allow]),
        "BROTLI": BROTLI if brotli else "",
    }


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--server-name", nargs="+", required=True)
    p.add_argument("--certificate", type=Path, required=True)
    p.add_argument("--certificate-key", type=Path, required=True)
    p.add_argument("--app", action="append", required=True, help="host:port, once per server")
    p.add_argument("--static-root", type=Path, required=True)
    p.add_argument("--media-root", type=Path, required=True)
    p.add_argument("--private-root", type=Path, required=True)
    p.add_argument("--cache-dir", type=Path, default=Path("/var/cache/nginx/shoko"))
    p.add_argument("--cache-max-size", default="512m")
    p.add_argument("--http-listen", default="80")
    p.add_argument("--https-listen", default="443")
    p.add_argument("--purge-listen", default="127.0.0.1:8081")
    p.add_argument("--purge-allow", action="append", default=[], help="an app server's network")
    p.add_argument("--client-max-body-size", default="64m")
    p.add_argument("--hsts-seconds", type=int, default=31_536_000)
    p.add_argument("--brotli", choices=["auto", "on", "off"], default="auto")
    p.add_argument("--output", type=Path, help="write here instead of standard output")
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    text = render(values_from(args))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
