"""Auth: register, sign in and out, tokens, sign-in throttling, and admin work on accounts.

Public surface for other domains: email normalisation (the same address rule everywhere).
Owns the users and revoked tokens (MongoDB system database). Publishes (services/auth/events.py,
through the outbox stream: accounts have no PostgreSQL transaction) `auth.registered`,
`auth.signed_in`, `auth.sign_in_failed`, `auth.signed_out`, `auth.profile_updated`,
`auth.user_created`, `auth.user_updated`.
"""
from services.auth.security import normalize_email

__all__ = ["normalize_email"]
