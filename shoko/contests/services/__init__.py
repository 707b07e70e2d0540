"""What changes a contest's state, one module per stage: ``calls`` (staff set a call up),
``entries`` (entrants fill, submit, withdraw; staff review — the workflow table), ``uploads``
(resumable video uploads), ``judging`` (rounds, panels, conflicts, score sheets), ``results``
(awards, publication, notices). Every function is keyword-only with the acting user first,
checks authorisation itself, runs in one transaction and leaves an audit trail."""
