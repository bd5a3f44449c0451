"""Demo accounts for `make run`: created once, random passwords per install, written to a file
readable only by its owner. Production refuses to start while any demo account is active;
`retire` ends them for good and deletes no row (the audit trail and signed records name them)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlmodel import col, select

from incident_tracker import files
from incident_tracker.core.permissions import Role
from incident_tracker.db.models import Organisation, User
from incident_tracker.services import demo_incidents, demo_reviews, passwords, users
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
    files.private_dir(credentials_file.parent)
    fd = os.open(credentials_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(credentials_file, 0o600)
    return lines


def active_demo_accounts(call: Call) -> list[str]:
    """E-mails of the demo accounts that can still be used (production refuses to start)."""
    found = call.session.exec(
        select(User).where(User.is_demo == True, User.is_active == True)  # noqa: E712
    ).all()
    return [user.email for user in found]


def retire(call: Call) -> list[str]:
    """Disable every demo account not yet retired, make its password unusable and end its
    sessions, with one audit row per account; returns their e-mails. Rows are kept: the audit
    trail, approvals and records name these users (45 CFR 164.316(b)(2) retention)."""
    demo_users = call.session.exec(
        select(User).where(User.is_demo == True).order_by(col(User.id))  # noqa: E712
    ).all()
    retired = []
    for user in demo_users:
        if not user.is_active and user.password_hash == passwords.UNUSABLE:
            continue
        before = users.public(user)
        user.is_active, user.password_hash = False, passwords.UNUSABLE
        user.failed_logins, user.locked_until = 0, None
        call.session.add(user)
        ended = users.end_sessions(call, user.id or 0, "disabled")
        call.audit(
            "user.demo_retire",
            object_type="user",
            object_id=user.id,
            old=before,
            new=users.public(user),
            detail=f"password made unusable; {ended} session(s) ended",
        )
        retired.append(user.email)
    return retired
