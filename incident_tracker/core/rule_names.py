"""A name for each rule id, so no page, e-mail or document shows an id alone ("Still owed: NY6")."""

from __future__ import annotations

RULE_NAMES: dict[str, str] = {
    "F1": "notice to individuals (45 CFR 164.404)",
    "F2": "substitute notice (45 CFR 164.404(d)(2))",
    "F3": "notice to the media (45 CFR 164.406)",
    "F4": "report to HHS (45 CFR 164.408(b))",
    "F5": "HHS annual log of small breaches (45 CFR 164.408(c))",
    "F6": "business associate's notice to the covered entity (45 CFR 164.410)",
    "F7": "law-enforcement delay (45 CFR 164.412)",
    "F8": "documentation kept six years (45 CFR 164.530(j))",
    "P2": "42 CFR Part 2 breach report to HHS",
    "NY1": "notice to New York residents (GBL 899-aa(2))",
    "NY2": "New York Attorney General: written harm determination (GBL 899-aa(2)(a))",
    "NY3": "New York agencies (GBL 899-aa(8)(a))",
    "NY4": "New York: consumer reporting agencies (GBL 899-aa(8)(b))",
    "NY5": "New York Attorney General after the HHS report (GBL 899-aa(9))",
    "NY6": "vendor's notice to the owner of New York data (GBL 899-aa(3))",
    "NY7": "New York DFS: cybersecurity event (23 NYCRR 500.17)",
    "NY8": "New York DFS: extortion payment (23 NYCRR 500.17(c))",
    "NY9": "New York DFS: reasons for an extortion payment (23 NYCRR 500.17(c))",
    "NJ1": "New Jersey State Police (N.J.S.A. 56:8-163(c)(1))",
    "NJ2": "notice to New Jersey residents (N.J.S.A. 56:8-163(a))",
    "NJ3": "New Jersey: consumer reporting agencies (N.J.S.A. 56:8-163(f))",
    "NJ4": "vendor's notice to the owner of New Jersey data (N.J.S.A. 56:8-163(b))",
    "CA1": "notice to California residents (Civ. Code 1798.82(a))",
    "CA2": "California Attorney General sample copy (Civ. Code 1798.82(f))",
    "CA3": "vendor's notice to the owner of California data (Civ. Code 1798.82(b))",
    "CA4": "California Department of Public Health (H&S 1280.15(b)(1))",
    "CA5": "California patient notice (H&S 1280.15(b)(2))",
}


def rule_name(rule_id: str, state: str = "") -> str:
    """The rule's name with its id ("notice to individuals (45 CFR 164.404), F1"), falling back
    to the id's family for ids not listed (NY3-AG and the like)."""
    family = rule_id.split("-")[0]
    name = RULE_NAMES.get(rule_id) or RULE_NAMES.get(family)
    where = f", {state}" if state and state not in rule_id else ""
    if name is None:
        return f"rule {rule_id}{where}"
    return f"{name}{where} [{rule_id}]"
