"""Screens of contests, split by face: ``public`` (calls and results, open data), ``my``
(entrants), ``uploads`` (the chunked-upload JSON endpoints), ``staff`` (the call's staff),
``judging`` (judges) and ``files`` (every file, behind one permission check)."""
