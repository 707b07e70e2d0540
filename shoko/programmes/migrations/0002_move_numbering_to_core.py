"""Application and notice numbers are taken from core's one number sequence; the counters
reached so far move there (same keys), so numbering carries on without a gap or a repeat."""

from django.db import migrations


def to_core(apps, schema_editor):
    old = apps.get_model("programmes", "NumberSequence")
    new = apps.get_model("core", "NumberSequence")
    for row in old.objects.all():
        new.objects.update_or_create(key=row.key, defaults={"last": row.last})


def from_core(apps, schema_editor):
    old = apps.get_model("programmes", "NumberSequence")
    new = apps.get_model("core", "NumberSequence")
    for row in new.objects.exclude(key__startswith="certificate:"):
        old.objects.update_or_create(key=row.key, defaults={"last": row.last})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_number_sequence"),
        ("programmes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_core, from_core),
        migrations.DeleteModel(name="NumberSequence"),
    ]
