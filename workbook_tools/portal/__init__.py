"""The portal's library: upload links, the Sở's password, and one upload received.

Beside the submission registry (the same SQLite file) the portal keeps its own
tables: each unit's upload link per form and period (only a hash of the token
is stored), which link sent which submission, and the Sở's password hash. The
web layer (:mod:`workbook_tools.web`) sits on top of this, like the CLI.
"""

from workbook_tools.portal.accounts import PasswordError, check_password, hash_password
from workbook_tools.portal.intake import Receipt, receive
from workbook_tools.portal.links import IssuedLink, Link, link_url
from workbook_tools.portal.store import PortalError, PortalStore

__all__ = [
    "IssuedLink",
    "Link",
    "PasswordError",
    "PortalError",
    "PortalStore",
    "Receipt",
    "check_password",
    "hash_password",
    "link_url",
    "receive",
]
