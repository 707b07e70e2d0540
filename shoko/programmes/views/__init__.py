"""Screens of the programmes, split by face as ``shoko.events.views`` is:

- ``my``           the business portal's list of programmes and applications (/my/programmes/)
- ``applicant``    one application's screens on the applicant's side, served in both faces:
                   the portal for members and the back office for 代理申請; file downloads
- ``staff``        the back office: programmes, budgets, windows, the queue, review, decisions
- ``staff_lists``  the back office screens of a programme's lists
- ``common``       what they share (pages, messages, the face decorator)

Views stay thin: selectors read, services write, and records are fetched through the permission
helpers so that another business's member gets 404.
"""
