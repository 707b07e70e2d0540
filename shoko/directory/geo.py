"""Locations without a GIS extension: a point as latitude/longitude, and a street's shape as a
small GeoJSON geometry checked on the way in (a malformed one is refused, never stored)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shoko.core.text import normalize_code

# Japan's extent with a margin: Okinotorishima (20.4°N) to Etorofu (45.6°N),
# Yonaguni (122.9°E) to Minamitorishima (154.0°E).
LAT_RANGE = (Decimal("20.0"), Decimal("46.0"))
LON_RANGE = (Decimal("122.0"), Decimal("154.0"))

LATITUDE_MESSAGE = _("緯度は日本国内の値（20〜46）を十進数で入力してください。")
LONGITUDE_MESSAGE = _("経度は日本国内の値（122〜154）を十進数で入力してください。")
LAT_LON_PAIR_MESSAGE = _("緯度と経度は両方とも入力するか、両方とも空にしてください。")
GEOJSON_SYNTAX_MESSAGE = _("GeoJSON として読めません（JSON の書式に誤りがあります）。")
GEOJSON_TYPE_MESSAGE = _(
    "GeoJSON の種類は LineString・MultiLineString・Polygon のいずれかにしてください。"
)
GEOJSON_COORDINATES_MESSAGE = _("GeoJSON の座標が正しくありません: %(detail)s")
GEOJSON_OUTSIDE_MESSAGE = _("GeoJSON の座標が日本の範囲外です（[経度, 緯度] の順で書きます）。")

GEOMETRY_TYPES = ("LineString", "MultiLineString", "Polygon")


def _decimal(value: Any, message: Any, code: str) -> Decimal:
    try:
        number = Decimal(normalize_code(str(value)))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(message, code=code) from exc
    if not number.is_finite():
        raise ValidationError(message, code=code)
    return number


def parse_latitude(value: Any) -> Decimal:
    number = _decimal(value, LATITUDE_MESSAGE, "latitude")
    if not LAT_RANGE[0] <= number <= LAT_RANGE[1]:
        raise ValidationError(LATITUDE_MESSAGE, code="latitude")
    return number.quantize(Decimal("0.000001"))


def parse_longitude(value: Any) -> Decimal:
    number = _decimal(value, LONGITUDE_MESSAGE, "longitude")
    if not LON_RANGE[0] <= number <= LON_RANGE[1]:
        raise ValidationError(LONGITUDE_MESSAGE, code="longitude")
    return number.quantize(Decimal("0.000001"))


def validate_latitude(value: Any) -> None:
    if value is not None:
        parse_latitude(value)


def validate_longitude(value: Any) -> None:
    if value is not None:
        parse_longitude(value)


def _position(value: Any, where: str) -> None:
    if (
        not isinstance(value, list)
        or len(value) not in (2, 3)
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value)
    ):
        raise ValidationError(
            GEOJSON_COORDINATES_MESSAGE,
            code="geojson_coordinates",
            params={"detail": f"{where}: [経度, 緯度]"},
        )
    lon, lat = Decimal(str(value[0])), Decimal(str(value[1]))
    if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
        raise ValidationError(GEOJSON_OUTSIDE_MESSAGE, code="geojson_outside")


def _line(value: Any, where: str, *, ring: bool = False) -> None:
    minimum = 4 if ring else 2
    if not isinstance(value, list) or len(value) < minimum:
        raise ValidationError(
            GEOJSON_COORDINATES_MESSAGE,
            code="geojson_coordinates",
            params={"detail": f"{where}: {minimum}+"},
        )
    for index, position in enumerate(value):
        _position(position, f"{where}[{index}]")
    if ring and value[0] != value[-1]:
        raise ValidationError(
            GEOJSON_COORDINATES_MESSAGE,
            code="geojson_coordinates",
            params={"detail": f"{where}: ring not closed"},
        )


def clean_geometry(value: Any) -> dict[str, Any] | None:
    """A GeoJSON geometry (text or parsed) checked and returned as a dict; empty → None.

    A Feature is unwrapped to its geometry, since that is what people paste from map tools.
    """
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValidationError(GEOJSON_SYNTAX_MESSAGE, code="geojson_syntax") from exc
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES:
        raise ValidationError(GEOJSON_TYPE_MESSAGE, code="geojson_type")
    kind, coordinates = value["type"], value.get("coordinates")
    if kind == "LineString":
        _line(coordinates, "coordinates")
    elif kind == "MultiLineString":
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(
                GEOJSON_COORDINATES_MESSAGE,
                code="geojson_coordinates",
                params={"detail": "coordinates"},
            )
        for index, line in enumerate(coordinates):
            _line(line, f"coordinates[{index}]")
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(
                GEOJSON_COORDINATES_MESSAGE,
                code="geojson_coordinates",
                params={"detail": "coordinates"},
            )
        for index, ring in enumerate(coordinates):
            _line(ring, f"coordinates[{index}]", ring=True)
    return {"type": kind, "coordinates": coordinates}


def validate_geometry(value: Any) -> None:
    clean_geometry(value)
