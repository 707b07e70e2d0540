"""Uploaded files are judged by their bytes, never by their names (plan evidence, programme
documents and photos all go through shoko.core.uploads)."""

import io
import zipfile

import pytest

from shoko.core.uploads import detect_kind, is_plain_text


def zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\xef\xbb\xbf\r\n%PDF-1.4", "pdf"),  # a BOM and a blank line before the header
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00", "png"),
        (zip_with("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
        (zip_with("[Content_Types].xml", "word/document.xml"), "docx"),
        (zip_with("readme.txt"), None),  # a zip, but no Office file
        (b"PK\x03\x04 broken", None),
        (b"MZ\x90\x00", "executable"),
        (b"\x7fELF\x02", "executable"),
        (b"#!/usr/bin/env python\n", "executable"),
        (b"hello", None),
        (b"", None),
    ],
)
def test_the_kind_comes_from_the_content(data, kind):
    assert detect_kind(data) == kind


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("地域,件数\r\n練馬,3\r\n".encode(), True),
        ("地域,件数\r\n練馬,3\r\n".encode("cp932"), True),  # Excel's Japanese CSV
        ("\ufeff地域,件数\r\n".encode(), True),
        (b"a,b\x00c", False),
        (b"#!/bin/sh\nrm -rf /\n", False),
        (b"\x80\x81\xff\xfe", False),
    ],
)
def test_plain_text_is_utf8_or_shift_jis_without_nul_or_a_script_header(data, text):
    assert is_plain_text(data) is text
