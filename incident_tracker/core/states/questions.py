"""Questions the compilers of `states.json` left for counsel, per jurisdiction (their list of the
cells they are least sure of). Each is shown with every provisional duty of that jurisdiction."""

from __future__ import annotations

QUESTIONS: dict[str, tuple[str, ...]] = {
    "DC": (
        "HIPAA deemer (D.C. Code § 28-3852(g)) and the OAG timing are from memory, not read; if "
        "wrong, DC is a full deemer and the OAG filing is excused",
    ),
    "CT": (
        "the HIPAA proviso 'AG no later than residents' for HIPAA entities is from memory of the "
        "text",
        "Insurance Department clock (3 business days, Conn. Gen. Stat. § 38a-38) is from memory",
    ),
    "SD": (
        "SDCL 22-40-26 reads as a full HIPAA deemer, but a practitioner reads the >250 AG notice "
        "as still owed; the CRA duty's threshold is unknown",
    ),
    "OR": (
        "HIPAA carve-out: whether the AG copy is owed for every HIPAA breach or only above 250 "
        "Oregonians, and on what clock",
    ),
    "RI": (
        "HIPAA deemer (R.I. Gen. Laws § 11-49.3-6) not read; the 30-day clock for agencies is "
        "undated",
    ),
    "PA": (
        "after Act 33 of 2024: whether health insurance information was also narrowed, and "
        "whether the federal-regulator deemer excuses the new AG notice",
    ),
    "AR": ("whether HIPAA qualifies for the 'greater protection' exemption (§ 4-110-106)",),
    "MO": ("full HIPAA deemer rests on charts and memory",),
    "WY": ("full HIPAA deemer rests on charts and memory",),
    "NM": (
        "HIPAA exemption (NMSA § 57-12C-8) from memory",
        "few or no pages read (core confidence unsure)",
    ),
    "IA": ("AG threshold: statute 'more than 500' vs the AG web page 'at least 500'",),
    "WA": (
        "a mentioned change 'as of May 13, 2026' with no bill found; the HIPAA entity's AG clock "
        "(HITECH timing vs 30 days)",
    ),
    "MI": (
        "a pending bill (AG notice for 100 or more residents, HIPAA deemer) is treated as not law",
    ),
    "DE": ("insurance-regulator clock is from memory",),
    "NH": ("insurance-regulator clock is from memory",),
    "SC": ("insurance-regulator clock (72 hours) is from memory",),
    "VA": (
        "insurance-regulator clock is from memory",
        "few or no pages read (core confidence unsure)",
    ),
    "NE": ("few or no pages read (core confidence unsure)",),
    "MN": ("few or no pages read (core confidence unsure)",),
}
