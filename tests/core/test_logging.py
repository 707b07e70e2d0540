from __future__ import annotations

import logging

from shoko.core.logging import ScrubPersonalDataFilter, scrub


def test_emails_and_phone_numbers_are_scrubbed_from_logs():
    assert scrub("sent to hanako@example.jp at 03-3993-1111") == "sent to [email] at [phone]"


def test_filter_scrubs_arguments():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "user %s", ("a@b.jp",), None)
    ScrubPersonalDataFilter().filter(record)
    assert record.getMessage() == "user [email]"
