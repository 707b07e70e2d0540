"""Gap-free document numbers (application, notice and certificate numbers), one counter per key."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from shoko.core.models import NumberSequence


def next_number(key: str) -> int:
    """The next number under ``key`` (1 for a new key). Call inside the transaction that uses
    it: the conditional UPDATE locks the counter's row until then, so concurrent callers queue
    and no number is given twice, and a rolled-back transaction gives its number back."""
    if not NumberSequence.objects.filter(key=key).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                NumberSequence.objects.create(key=key, last=1)
            return 1
        except IntegrityError:  # another transaction created it first: take the next one
            NumberSequence.objects.filter(key=key).update(last=F("last") + 1)
    return NumberSequence.objects.get(key=key).last
