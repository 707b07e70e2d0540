"""The environment schema: every setting an operator may change, typed and validated at start-up.

Why a schema: a typo in an environment variable should stop the server with a clear message, not
run it with a silent default. Settings read this object once; nothing else reads ``os.environ``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent

INSECURE_DEV_SECRET = "shoko-insecure-development-key-never-use-in-production"  # noqa: S105


class Environment(BaseSettings):
    """Shoko's configuration, read from environment variables prefixed ``SHOKO_`` (and a few
    conventional unprefixed ones such as ``DATABASE_URL``), or from a ``.env`` file."""

    model_config = SettingsConfigDict(
        env_prefix="SHOKO_",
        env_file=BASE_DIR / ".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    env: Literal["development", "test", "production"] = "development"
    secret_key: str = INSECURE_DEV_SECRET
    # Earlier keys, still accepted for sessions, password-reset links and signed links while
    # a new SHOKO_SECRET_KEY takes over (docs/operations.md, rotating secrets).
    secret_key_fallbacks: list[str] = Field(default_factory=list)
    debug: bool | None = None
    allowed_hosts: list[str] = Field(default_factory=lambda: ["127.0.0.1", "localhost", "[::1]"])
    csrf_trusted_origins: list[str] = Field(default_factory=list)
    # Unprefixed because every PaaS and tool sets it under this name.
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    var_dir: Path = BASE_DIR / "var"
    media_root: Path | None = None
    static_root: Path | None = None
    time_zone: str = "Asia/Tokyo"
    site_name: str = "Shoko"
    site_url: str = ""  # e.g. https://shoko.example.jp — links in emails sent outside a request
    prefecture_name: str = "東京都"
    city_name: str = "練馬区"
    city_code: str = "131202"  # 全国地方公共団体コード (Nerima)
    # The city's name on pages in other languages (the Japanese name is SHOKO_CITY_NAME); a
    # visitor reading English should not meet 練馬区 in every heading.
    city_names: dict[Literal["en", "zh-hans", "zh-hant", "ko"], str] = Field(
        default_factory=lambda: {
            "en": "Nerima City",
            "zh-hans": "练马区",
            "zh-hant": "練馬區",
            "ko": "네리마구",
        }
    )
    default_from_email: str = "shoko@localhost"
    email_backend: Literal["console", "smtp", "locmem"] = "console"
    email_host: str = "localhost"
    email_port: int = 587
    email_host_user: str = ""
    email_host_password: str = ""
    email_use_tls: bool = True
    map_tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_tile_attribution: str = "&copy; OpenStreetMap contributors"
    open_data_licence: str = "CC BY 4.0"
    login_failure_limit: int = Field(default=5, ge=1, le=100)
    login_cooloff_minutes: int = Field(default=30, ge=1, le=24 * 60)
    upload_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    hsts_seconds: int = Field(default=31_536_000, ge=0)
    behind_proxy: bool = False
    # Where cached pages, their tag versions and rate-limit counters live. "disk" (a SQLite-backed
    # cache in var/cache/) is shared by every process on the machine: the app server's workers and
    # the background worker see each other's invalidations. "memory" is per process (tests only).
    # redis:// or rediss:// URLs share it across machines (needs the redis package).
    cache: str = "disk"
    cache_max_bytes: int = Field(default=1024**3, ge=16 * 1024**2)
    # Programmes (shoko.programmes): the dotted path of ``scan(data, name) -> threat | None``
    # that checks every uploaded document (e.g. a function asking ClamAV), and the largest
    # amount a form accepts.
    programmes_virus_scanner: str | None = None
    programmes_max_amount_yen: int = Field(default=10_000_000_000, ge=1)
    # Events: per-address registration limits, {"address": [30, 600], "address_session": [6, 600]}
    # (requests per seconds); the defaults apply to names left out.
    events_rate_limits: dict[Literal["address", "address_session"], tuple[int, int]] = Field(
        default_factory=dict
    )
    # Directory: a shop owner's edit of a published shop waits for staff approval.
    directory_approve_shop_changes: bool = True
    # Contests: the largest video an entrant may upload (resumable, in chunks of
    # contests_chunk_bytes), the programs that inspect and convert it, and the age below which a
    # guardian consents (18 in Japan since April 2022).
    contests_max_video_bytes: int = Field(default=2 * 1024**3, ge=1024**2)
    contests_chunk_bytes: int = Field(default=4 * 1024**2, ge=256 * 1024, le=64 * 1024**2)
    contests_ffprobe: str = "ffprobe"
    contests_ffmpeg: str = "ffmpeg"
    contests_age_of_majority: int = Field(default=18, ge=1, le=30)
    # Plan evidence files (never served publicly); default: var/private.
    private_media_root: Path | None = None
    # The front cache (deploy/nginx): how long nginx may answer a public page without asking the
    # app (0: never; 1: until the end of the current second), and the address of its purge
    # listener, where the app refreshes the pages an edit touched (empty: no purge).
    front_cache_seconds: int = Field(default=1, ge=0, le=3600)
    front_cache_purge_url: str = ""
    # Private files (application documents, notices, plan evidence) are sent by nginx after the
    # app's permission check (X-Accel-Redirect to /_protected/…) instead of by a Python worker.
    x_accel_redirect: bool = False
    # The bearer token Prometheus sends to /metrics (empty: no metrics page).
    metrics_token: str = ""
    sentry_dsn: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("city_code")
    @classmethod
    def _city_code_is_six_digits(cls, value: str) -> str:
        if not (len(value) == 6 and value.isdigit()):
            raise ValueError(
                "SHOKO_CITY_CODE must be the 6-digit local government code, e.g. 131202"
            )
        return value

    @field_validator("programmes_virus_scanner")
    @classmethod
    def _scanner_is_a_dotted_path(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+", value):
            raise ValueError(
                "SHOKO_PROGRAMMES_VIRUS_SCANNER must be the dotted path of a function, "
                "e.g. mycity.scanning.clamav_scan"
            )
        return value

    @field_validator("events_rate_limits")
    @classmethod
    def _limits_are_positive(cls, value: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        for name, (requests, seconds) in value.items():
            if requests < 1 or seconds < 1:
                raise ValueError(
                    f"SHOKO_EVENTS_RATE_LIMITS[{name}] must be [requests, seconds], both 1 or more"
                )
        return value

    @field_validator("cache")
    @classmethod
    def _cache_is_known(cls, value: str) -> str:
        if value not in ("disk", "memory") and not value.startswith(("redis://", "rediss://")):
            raise ValueError(
                "SHOKO_CACHE must be disk, memory or a redis:// URL, e.g. redis://127.0.0.1:6379/0"
            )
        return value

    @field_validator("front_cache_purge_url")
    @classmethod
    def _purge_url_is_http(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^/\s]+/?", value):
            raise ValueError(
                "SHOKO_FRONT_CACHE_PURGE_URL must be the purge listener's http://host:port, "
                "e.g. http://127.0.0.1:8081"
            )
        return value.rstrip("/")

    @model_validator(mode="after")
    def _production_is_safe(self) -> Environment:
        if self.env == "production":
            if self.secret_key == INSECURE_DEV_SECRET or len(self.secret_key) < 50:
                raise ValueError(
                    "SHOKO_SECRET_KEY must be set to a random value of 50+ characters in production"
                )
            if self.debug:
                raise ValueError("SHOKO_DEBUG cannot be true in production")
        return self

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def debug_enabled(self) -> bool:
        if self.debug is not None:
            return self.debug
        return self.env == "development"


def load_environment() -> Environment:
    return Environment()
