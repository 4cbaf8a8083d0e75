"""The events of accounts. Accounts live in MongoDB, so these have no PostgreSQL transaction to
join: they are published (services/kernel/outbox.publish) and reach the outbox through Redis.
Each type is also the activity log's action. No event carries a password or a token."""
from services.kernel.events import Event


class _AccountEvent(Event):
    aggregate = "user"
    aggregate_key = "user_id"
    user_id: str


class Registered(_AccountEvent):
    event_type = "auth.registered"
    role: str


class SignedIn(_AccountEvent):
    event_type = "auth.signed_in"
    role: str


class SignInFailed(Event):
    """The address tried is the subject: there may be no account behind it."""
    event_type = "auth.sign_in_failed"
    aggregate = "login"
    aggregate_key = "email"
    email: str
    reason: str = "invalid_credentials"  # or account_disabled (told only after the right password)

    def aggregate_id(self) -> str:
        return self.email[:254]


class SignInRefused(_AccountEvent):
    """The right password for an account that may not sign in (disabled)."""
    event_type = "auth.sign_in_refused"
    reason: str


class SignedOut(_AccountEvent):
    event_type = "auth.signed_out"


class ProfileUpdated(_AccountEvent):
    event_type = "auth.profile_updated"
    fields: list[str]


class UserCreated(_AccountEvent):
    """An admin created an account (staff or agency)."""
    event_type = "auth.user_created"
    email: str
    role: str


class UserUpdated(_AccountEvent):
    """An admin changed an account: its role, or disabled or enabled it."""
    event_type = "auth.user_updated"
    changes: dict[str, str | bool]
