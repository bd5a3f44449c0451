"""incident inputs: DFS extortion payment, business-associate clients, FIPS, country (reserved)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 12:30:00

Four facts the engine understands get a column on `incident`: `dfs_ransom_paid_at` (23 NYCRR
500.17(c), NY8/NY9), `fips_validation` (the encryption safe harbor's module), and two JSON texts
as `data_elements` is one: `ce_clients_notified` ({covered-entity client: date told} of a business
associate with several clients) and `affected_outside_us` ({country: residents}). The incident
table already moves the data generation (migration 0010), so no trigger is added.

`obligation.party` widens from 20 to 200 characters: a business associate's client-by-client
covered-entity duties name the client there (the form allows 200 characters).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COLUMNS = ("dfs_ransom_paid_at", "fips_validation", "ce_clients_notified", "affected_outside_us")


PARTY = "party VARCHAR({}) NOT NULL"


def _party_width(old: int, new: int) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.alter_column(
            "obligation",
            "party",
            type_=sa.String(length=new),
            existing_type=sa.String(length=old),
            existing_nullable=False,
        )
        return
    # SQLite stores text whatever length is declared (type affinity, sqlite.org/datatype3.html),
    # so only the declaration changes: rewritten in place as sqlite.org/lang_altertable.html
    # ("Making Other Kinds Of Table Schema Changes") allows for a change that leaves the stored
    # data as they are. A batch copy of the table would lose its triggers (migration 0010).
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' "
        "AND name = 'obligation'",
        (PARTY.format(old), PARTY.format(new)),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version or 0) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade() -> None:
    # Plain ADD COLUMN on both backends: a batch copy of the table on SQLite would lose its
    # triggers (migration 0010).
    op.add_column(
        "incident", sa.Column("dfs_ransom_paid_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("incident", sa.Column("fips_validation", sa.String(length=10), nullable=True))
    for name in ("ce_clients_notified", "affected_outside_us"):
        op.add_column("incident", sa.Column(name, sa.Text(), nullable=False, server_default="{}"))
    _party_width(20, 200)


def downgrade() -> None:
    _party_width(200, 20)
    for name in reversed(COLUMNS):  # SQLite 3.35+ and PostgreSQL drop a column in place
        op.drop_column("incident", name)
