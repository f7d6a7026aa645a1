"""The server's side of reviewing: accounts, the second factor and the reviewer API.

Reviewers work from their own machines (`handoff.workstation`); the server
enrols their public bundles, checks their logins and serves the queue of
sealed reports over its own listener.
"""

from bot.review.accounts import TotpSecrets, bundle_record, provisioning_uri, reviewer_record

__all__ = ["TotpSecrets", "bundle_record", "provisioning_uri", "reviewer_record"]
