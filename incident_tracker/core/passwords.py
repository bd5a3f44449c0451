"""Password policy per OWASP ASVS 5.0 §6.2: length, not common, no composition rules."""

from __future__ import annotations

MIN_LENGTH = 12  # ASVS 6.2.1 asks for at least 8 (15 recommended without MFA)
MAX_LENGTH = 128  # ASVS 6.2.9: at least 64 must be allowed


def password_problems(password: str, common: frozenset[str], email: str = "") -> list[str]:
    """Reasons `password` is refused; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters")
    lowered = password.lower()
    if lowered in common:
        problems.append("is one of the most common passwords; choose another")
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in lowered:
        problems.append("must not contain your e-mail name")
    if password and len(set(password)) == 1:
        problems.append("must not repeat one character")
    return problems
