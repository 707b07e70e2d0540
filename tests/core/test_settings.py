"""Settings come from a typed environment; production settings pass `check --deploy`."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from shoko.config import Environment

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SHOKO_")}
    base.pop("DATABASE_URL", None)
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "SHOKO_ENV": "production",
        "SHOKO_SECRET_KEY": secrets.token_urlsafe(64),
        "SHOKO_ALLOWED_HOSTS": '["shoko.example.jp"]',
        "SHOKO_VAR_DIR": str(tmp_path),
        "SHOKO_CACHE": "disk",
    }
    # As a deployment does: the hashed static files first (check --deploy refuses to pass
    # without their manifest, tests/operations/test_static_files.py).
    collected = run_manage("collectstatic", "--noinput", "-v0", env=env)
    assert collected.returncode == 0, collected.stdout + collected.stderr
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_a_per_process_cache(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        env={
            "SHOKO_ENV": "production",
            "SHOKO_SECRET_KEY": secrets.token_urlsafe(64),
            "SHOKO_ALLOWED_HOSTS": '["shoko.example.jp"]',
            "SHOKO_VAR_DIR": str(tmp_path),
            "SHOKO_CACHE": "memory",
        },
    )
    assert "shoko.W002" in result.stdout + result.stderr


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.setenv("SHOKO_ENV", "production")
    monkeypatch.delenv("SHOKO_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="SHOKO_SECRET_KEY"):
        Environment(_env_file=None)


def test_old_secret_keys_stay_valid_while_a_new_one_takes_over(monkeypatch, settings):
    from django.core import signing

    monkeypatch.setenv("SHOKO_SECRET_KEY_FALLBACKS", '["old-key-' + "x" * 50 + '"]')
    assert Environment(_env_file=None).secret_key_fallbacks == ["old-key-" + "x" * 50]
    signed = signing.dumps("registration 42", key="old-key-" + "x" * 50)
    settings.SECRET_KEY_FALLBACKS = ["old-key-" + "x" * 50]
    assert signing.loads(signed) == "registration 42"


def test_a_typo_in_a_typed_setting_stops_start_up(monkeypatch):
    monkeypatch.setenv("SHOKO_LOGIN_FAILURE_LIMIT", "five")
    with pytest.raises(ValidationError):
        Environment(_env_file=None)


def test_city_code_must_be_six_digits(monkeypatch):
    monkeypatch.setenv("SHOKO_CITY_CODE", "13120")
    with pytest.raises(ValidationError, match="6-digit"):
        Environment(_env_file=None)


def test_database_url_selects_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/shoko")
    assert Environment(_env_file=None).database_url.startswith("postgres://")


def test_sqlite_runs_in_wal_mode_in_var(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['NAME'])",
        env={"SHOKO_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    mode, name = result.stdout.split()[:2]
    assert mode == "wal"
    assert name == str(tmp_path / "shoko.sqlite3")


def test_the_page_cache_is_shared_on_disk_by_default_and_a_bad_choice_stops_start_up(monkeypatch):
    from shoko.settings import cache_config

    monkeypatch.delenv("SHOKO_CACHE", raising=False)
    assert Environment(_env_file=None).cache == "disk"
    disk = cache_config("disk", Path("/srv/shoko/cache"))
    assert disk["BACKEND"] == "diskcache.DjangoCache"
    assert disk["LOCATION"] == "/srv/shoko/cache"
    assert cache_config("memory", Path("x"))["BACKEND"].endswith("LocMemCache")
    redis = cache_config("redis://cache.internal:6379/1", Path("x"))
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
    }
    monkeypatch.setenv("SHOKO_CACHE", "memcache")
    with pytest.raises(ValidationError, match="SHOKO_CACHE must be disk, memory or a redis"):
        Environment(_env_file=None)


def test_programme_events_directory_and_plan_settings_are_typed(monkeypatch):
    monkeypatch.setenv("SHOKO_PROGRAMMES_VIRUS_SCANNER", "mycity.scanning.clamav_scan")
    monkeypatch.setenv("SHOKO_PROGRAMMES_MAX_AMOUNT_YEN", "50000000")
    monkeypatch.setenv("SHOKO_EVENTS_RATE_LIMITS", '{"address": [10, 300]}')
    monkeypatch.setenv("SHOKO_DIRECTORY_APPROVE_SHOP_CHANGES", "false")
    monkeypatch.setenv("SHOKO_PRIVATE_MEDIA_ROOT", "/srv/shoko/private")
    env = Environment(_env_file=None)
    assert env.programmes_virus_scanner == "mycity.scanning.clamav_scan"
    assert env.programmes_max_amount_yen == 50_000_000
    assert env.events_rate_limits == {"address": (10, 300)}
    assert env.directory_approve_shop_changes is False
    assert env.private_media_root == Path("/srv/shoko/private")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SHOKO_PROGRAMMES_VIRUS_SCANNER", "rm -rf /", "dotted path of a function"),
        ("SHOKO_PROGRAMMES_MAX_AMOUNT_YEN", "0", "greater than or equal to 1"),
        ("SHOKO_EVENTS_RATE_LIMITS", '{"address": [0, 300]}', "both 1 or more"),
        ("SHOKO_EVENTS_RATE_LIMITS", '{"everyone": [5, 300]}', "address"),
        ("SHOKO_EVENTS_RATE_LIMITS", "30 per 10 minutes", "events_rate_limits"),
    ],
)
def test_a_bad_programme_or_event_setting_stops_start_up(monkeypatch, variable, value, message):
    from pydantic_settings import SettingsError

    monkeypatch.setenv(variable, value)
    with pytest.raises((ValidationError, SettingsError), match=message):  # not JSON: SettingsError
        Environment(_env_file=None)


def test_rate_limits_from_the_environment_apply_to_event_registration(settings):
    from shoko.events.ratelimit import DEFAULT_LIMITS, Limit, limits

    settings.SHOKO_EVENTS_RATE_LIMITS = {"address": (10, 300)}
    assert limits() == {
        "address": Limit(10, 300),
        "address_session": DEFAULT_LIMITS["address_session"],
    }


@pytest.mark.parametrize(
    ("prefix", "name"),
    [("", "練馬区"), ("/en", "Nerima City"), ("/zh-hans", "练马区"), ("/ko", "네리마구")],
)
@pytest.mark.django_db
def test_the_city_is_named_in_the_pages_language(client, prefix, name):
    html = client.get(f"{prefix}/").content.decode()
    assert f'<span class="brand-name">{name} ' in html
    if prefix == "/en":
        assert "練馬区" not in html.split("<main")[0]  # header and title read in English


def test_city_names_are_only_for_the_sites_languages(monkeypatch):
    monkeypatch.setenv("SHOKO_CITY_NAMES", '{"fr": "Ville de Nerima"}')
    with pytest.raises(ValidationError):
        Environment(_env_file=None)
