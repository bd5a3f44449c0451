"""Demo accounts for `make run`: created once, random passwords per install, written to a file
readable only by its owner. Production refuses to start while any demo account exists."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlmodel import select

from incident_tracker.core.permissions import Role
from incident_tracker.db.models import Organisation, User
from incident_tracker.services import demo_incidents, demo_reviews, users
from incident_tracker.services.call import Call

DEMO_DOMAIN = "demo.incident-tracker.test"


def seed(call: Call, credentials_file: Path, notice_storage: Path) -> list[str]:
    """Create the four demo accounts if absent; return the lines `role email password`.
    `notice_storage` is where approved notice files go (Settings.notice_storage)."""
    if call.session.exec(select(User).where(User.is_demo == True)).first():  # noqa: E712
        return credentials_file.read_text().splitlines() if credentials_file.exists() else []
    lines = []
    created: dict[Role, User] = {}
    for role in Role:
        email = f"{role.value.replace('_', '-')}@{DEMO_DOMAIN}"
        password = secrets.token_urlsafe(15)
        created[role] = users.create_user(
            call, email, role.value, password, role.value.replace("_", " ").title(), demo=True
        )
        lines.append(f"{role.value} {email} {password}")
    if call.session.get(Organisation, 1) is None:
        call.session.add(
            Organisation(
                id=1,
                legal_name="Demo Health Partners (demo data)",
                covered_entity_type="provider",
                internal_target_days=30,
                toll_free_number="1-800-555-0100",
                contact_email="privacy@demo.incident-tracker.test",
            )
        )
        call.session.flush()
    officer, reviewer = created[Role.PRIVACY_OFFICER], created[Role.LEGAL_REVIEWER]
    made = demo_incidents.seed(call, officer, reviewer)
    if made:
        demo_reviews.seed(call, officer, reviewer, demo_incidents.by_role(made), notice_storage)
    credentials_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(credentials_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(credentials_file, 0o600)
    return lines


def demo_accounts_present(call: Call) -> bool:
    return call.session.exec(select(User).where(User.is_demo == True)).first() is not None  # noqa: E712
