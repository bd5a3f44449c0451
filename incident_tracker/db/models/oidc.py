"""Single sign-on links (OpenID Connect Core 1.0 §5.7): an account is known to the identity
provider by issuer + subject, never by e-mail, which the provider may reassign."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class OidcLink(SQLModel, table=True):
    __tablename__ = "oidc_link"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_oidc_link_issuer_subject"),
        # one identity per account and provider: a second subject cannot take over an account
        UniqueConstraint("user_id", "issuer", name="uq_oidc_link_user_id_issuer"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    issuer: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    linked_at: datetime
    last_used_at: datetime
