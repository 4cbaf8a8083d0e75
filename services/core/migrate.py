"""Apply Alembic migrations up to head (`python -m services.core.migrate`)."""
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade() -> None:
    command.upgrade(alembic_config(), "head")


if __name__ == "__main__":
    upgrade()
