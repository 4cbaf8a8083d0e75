"""Alembic environment: the schema is SQLModel's metadata; the URL comes from the settings."""
from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import services.core.models  # noqa: F401  (registers every table on SQLModel.metadata)
from services.core.settings import get_settings

config = context.config
config.set_main_option("sqlalchemy.url", get_settings().sqlalchemy_url.replace("%", "%%"))
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connectable = engine_from_config(config.get_section(config.config_ini_section, {}),
                                     prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
