"""One settings object, read from the environment (twelve-factor).

Defaults work on a laptop: `make run` starts embedded stores and exports their URLs
before the app reads these values.
"""
from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


DEV_SECRET = "dev-only-change-me-0123456789abcdef"


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
    jwt_secret: str = Field(default=DEV_SECRET, min_length=32)
    jwt_ttl_minutes: int = 8 * 60
    public_base_url: str = "http://localhost:3000"
    process_role: Literal["all", "web", "worker"] = "all"
    log_level: str = "INFO"
    demo_data: bool = True
    # Sign-in throttling: failures allowed per window before HTTP 429.
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 20
    login_window_seconds: int = 900
    db_pool_size: int = 10

    def check_production(self) -> None:
        """Refuse to serve real users with the development secret."""
        if not self.demo_data and self.jwt_secret == DEV_SECRET:
            raise RuntimeError("JWT_SECRET must be set (32+ random characters) when DEMO_DATA is off.")

    @property
    def sqlalchemy_url(self) -> str:
        url = self.database_url
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
