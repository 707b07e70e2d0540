"""Background work of contests (run by ``manage.py db_worker``): inspecting uploaded videos and
making their browser-playable renditions."""

from __future__ import annotations

from django_tasks import task

from shoko.contests.media import pipeline


@task(queue_name="default")
def process_video(video_id: int) -> str:
    """Join, inspect and accept or refuse an uploaded video; queue its rendition if needed."""
    outcome = pipeline.process(video_id)
    if outcome.needs_rendition:
        make_rendition.enqueue(video_id)
    return outcome.status


@task(queue_name="default")
def make_rendition(video_id: int) -> str:
    """The H.264/AAC MP4 that browsers play, where the upload is not one."""
    return pipeline.render(video_id)
