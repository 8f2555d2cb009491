"""The store's schema migrations: Alembic revisions, applied by ``engine.migrate``."""
