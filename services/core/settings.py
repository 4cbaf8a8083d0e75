"""One settings object, read from the environment (twelve-factor).

Defaults work on a laptop: `make run` starts embedded stores and exports their URLs
before the app reads these values. No secret has a default here: when JWT_SECRET is unset,
each install generates its own once and keeps it under DATA_DIR (see docs/SECURITY.md).
"""
import ipaddress
import os
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The repository: services/core/settings.py is two folders below it.
ROOT = Path(__file__).resolve().parents[2]
MIN_SECRET_LENGTH = 32
# Secrets that were printed in this repository or its docs at some point, or that people paste
# from examples: anyone can read them, so a token signed with one proves nothing.
KNOWN_SECRETS = frozenset({
    "dev-only-change-me-0123456789abcdef", "change-me", "changeme", "secret", "jwt-secret", "your-secret-key",
    "please-change-this-secret-0123456789", "0123456789abcdef0123456789abcdef", "x" * 32,
})


def secret_problem(secret: str) -> str | None:
    """Why a signing secret must not be used, or None when it is acceptable."""
    if secret.strip().lower() in KNOWN_SECRETS:
        return "is a published example value"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(secret)) < 10:
        return "has fewer than 10 distinct characters"
    return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/astrobookings"
    mongodb_url: str = "mongodb://127.0.0.1:27017/?retryWrites=false"
    mongodb_system_db: str = "astro_system"
    mongodb_customer_db: str = "astro_customer"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Every key this app writes starts with this, so test runs and tenants never collide.
    redis_prefix: str = "ab:"
    smtp_url: str = "smtp://127.0.0.1:8025"
    mail_from: str = "AstroBookings <no-reply@astrobookings.example>"
    payment_gateway: str = "sandbox"
    # Sandbox only: how long each gateway call takes, so tests and benchmarks can play a slow gateway.
    payment_gateway_latency_ms: int = Field(default=0, ge=0, le=60_000)
    # How long a booking holds its seats while the card is charged; an unpaid hold then expires.
    booking_hold_seconds: int = Field(default=300, ge=1)
    # Where this install keeps its own files (the generated signing secret among them).
    data_dir: Path = ROOT / "var"
    # Empty: generated once per install (DATA_DIR/secrets/jwt_secret). Rotation: JWT_PREVIOUS_SECRETS.
    jwt_secret: str = ""
    # Comma-separated secrets still accepted for verifying tokens (never for signing) while they expire.
    jwt_previous_secrets: str = ""
    jwt_ttl_minutes: int = 8 * 60
    public_base_url: str = Field(default_factory=lambda: f"http://localhost:{os.environ.get('PORT', '3000')}")
    # More origins allowed to call the API and open the websocket (comma-separated), besides PUBLIC_BASE_URL's.
    cors_extra_origins: str = ""
    # The session cookie's Secure flag; unset means "when PUBLIC_BASE_URL is https".
    session_cookie_secure: bool | None = None
    process_role: Literal["all", "web", "worker"] = "all"
    log_level: str = "INFO"
    # Unset: demo data loads only where `make run` runs the embedded stores (no DATABASE_URL and
    # no MONGODB_URL given); true or false decides in every case.
    demo_data: bool | None = None
    # The address the web server listens on. Loopback unless asked: the demo accounts' password is
    # published, so a network address is opened only on purpose (HOST=0.0.0.0 or an address).
    host: str = "127.0.0.1"
    # Sign-in throttling: free failures per account, then a growing wait between attempts (capped);
    # attempts per client address within the window; registrations per client address per window.
    login_max_failures_per_account: int = 5
    login_max_delay_seconds: int = 60
    login_max_failures_per_ip: int = 20
    login_window_seconds: int = 900
    register_max_per_ip: int = 20
    register_window_seconds: int = 3600
    db_pool_size: int = 10
    # Fail fast (docs/OPERATIONS.md, "Store outages"): no request waits long on a store that is down.
    # PostgreSQL: seconds to wait for a pooled connection, and to open one (libpq's minimum is 2).
    db_pool_timeout: float = Field(default=1.0, gt=0)
    db_connect_timeout: int = Field(default=2, ge=1)
    # PostgreSQL: the server cancels a statement running longer than this (seconds, 0: never), and
    # ends a session left idle inside a transaction this long (a stalled client's locks go with it).
    # The client itself waits at most the statement timeout + DB_ANSWER_GRACE for any answer, so a
    # frozen server (or one behind a lost network) costs a request seconds, never forever.
    db_statement_timeout: float = Field(default=2.0, ge=0)
    db_idle_in_transaction_timeout: float = Field(default=10.0, ge=0)
    db_answer_grace: float = Field(default=0.5, gt=0)
    # MongoDB: finding the server, opening a connection, waiting for an answer; how often the driver
    # checks a server (the MongoDB breaker closes on the first good check after an outage).
    mongodb_server_selection_timeout_ms: int = Field(default=1000, ge=100)
    mongodb_connect_timeout_ms: int = Field(default=1000, ge=100)
    mongodb_socket_timeout_ms: int = Field(default=2000, ge=100)
    mongodb_heartbeat_ms: int = Field(default=1000, ge=500)
    # Redis: opening a connection and waiting for an answer, in seconds.
    redis_connect_timeout: float = Field(default=0.5, gt=0)
    redis_socket_timeout: float = Field(default=1.0, gt=0)
    # Circuit breakers (services/core/breaker.py): failures in a row that open one, and how long it
    # stays open before one call tries the store again.
    breaker_failures: int = Field(default=2, ge=1)
    breaker_cooldown_seconds: float = Field(default=2.0, gt=0)
    # The signed-in account as last read, for requests that need no more than PostgreSQL while
    # MongoDB is down (a role change or a disabled account still applies at once when MongoDB is up).
    account_fallback_seconds: int = Field(default=900, ge=0)
    # How often the scheduler reconciles the read model with PostgreSQL (IT can also start one).
    reconcile_every_seconds: int = Field(default=600, ge=10)
    # The build this process runs (shown to IT); set by the deployment.
    build_version: str = "dev"
    # When set, GET /metrics asks for "Authorization: Bearer <this>" (Prometheus' bearer_token);
    # unset, it answers anyone (it holds counts and latencies, no personal data).
    metrics_token: str = ""
    # The seller on every invoice AstroBookings issues (copied onto each invoice when issued).
    seller_name: str = "AstroBookings Ltd."
    seller_address: str = "1 Launch Lane, Cape Canaveral, FL 32920, USA"
    seller_tax_id: str = "US-00-0000000"
    # Printed in every document's footer, and where agencies pay invoices (placeholders: set the real ones).
    seller_registration: str = "Registered in Florida, USA, document no. P00000000000"
    seller_bank_name: str = "Example Bank, N.A."
    seller_bank_account: str = "IBAN GB33 BUKB 2020 1555 5555 55"
    seller_bank_bic: str = "BUKBGB22"

    @field_validator("jwt_secret", "jwt_previous_secrets")
    @classmethod
    def _strong_secrets(cls, value: str, info) -> str:
        """Refused when read, so no process of any kind runs with a weak secret ("" = generate)."""
        for secret in [s for s in value.split(",") if s] if info.field_name == "jwt_previous_secrets" else [value]:
            if secret and (problem := secret_problem(secret)):
                raise ValueError(f"{info.field_name.upper()} {problem}: use 32+ random characters "
                                 "(python3 -c 'import secrets; print(secrets.token_urlsafe(48))').")
        return value

    def check_secrets(self) -> None:
        """Start-up check in every mode (demo or not): refuse a known or short signing secret."""
        for secret in [self.jwt_secret, *self.verification_secrets]:
            if problem := secret_problem(secret):
                raise RuntimeError(f"Refusing to start: the JWT signing secret {problem}.")

    @property
    def verification_secrets(self) -> list[str]:
        """The current secret first, then the previous ones kept during a rotation."""
        return [self.jwt_secret, *[s for s in self.jwt_previous_secrets.split(",") if s]]

    @property
    def public_origin(self) -> str:
        parts = urlsplit(self.public_base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def allowed_origins(self) -> list[str]:
        """Origins whose pages may call the API with credentials and open the websocket: the public
        address (on a laptop, localhost and 127.0.0.1 name the same server) and CORS_EXTRA_ORIGINS."""
        origins = [self.public_origin]
        parts = urlsplit(self.public_base_url)
        for alias in ({"localhost": "127.0.0.1", "127.0.0.1": "localhost"}.get(parts.hostname or ""),):
            if alias:
                origins.append(f"{parts.scheme}://{alias}" + (f":{parts.port}" if parts.port else ""))
        extra = [o.strip().rstrip("/") for o in self.cors_extra_origins.split(",") if o.strip()]
        return origins + [o for o in extra if o not in origins]

    @property
    def listens_on_loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def https(self) -> bool:
        return self.public_base_url.startswith("https://")

    @property
    def cookie_secure(self) -> bool:
        return self.https if self.session_cookie_secure is None else self.session_cookie_secure

    @property
    def sqlalchemy_url(self) -> str:
        url = self.database_url
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def install_secret(data_dir: Path) -> str:
    """This install's own signing secret: made once (random, file mode 0600), then reused by every
    process. Two processes starting at once both try; the atomic link lets exactly one win."""
    folder = Path(data_dir) / "secrets"
    path = folder / "jwt_secret"
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".jwt_secret.")  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48) + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
    finally:
        os.unlink(tmp)
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    secret = path.read_text().strip()
    if problem := secret_problem(secret):
        raise RuntimeError(f"The signing secret in {path} {problem}; delete the file to make a new one.")
    return secret


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    if not settings.jwt_secret:
        settings = settings.model_copy(update={"jwt_secret": install_secret(settings.data_dir)})
    return settings
