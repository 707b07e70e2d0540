"""Who may do what with the plan.

Officials (admin, 経済課, 商工観光課) read and edit. Consultants read the dashboard and exports
(they deliver several measures and should see how they are going) but change nothing. Judges
and business members have no business in the back-office plan: 403. The public page and open
data are for everyone.
"""

from __future__ import annotations

from shoko.core.roles import OFFICIAL_ROLES, Role

READERS = frozenset(OFFICIAL_ROLES | {Role.CONSULTANT})
EDITORS = frozenset(OFFICIAL_ROLES)
