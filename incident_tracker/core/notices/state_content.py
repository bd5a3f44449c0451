"""What each item of content in states.json asks a State regulator's notice for.

The data list each notice's content in words ("number of TX residents affected; measures taken and
planned"); each item maps here to the elements that answer it (elements.py labels and checks them),
or to a note for the person drafting when it describes the notice rather than asks for something.
A test keeps every item of the data mapped.
"""

from __future__ import annotations

# Each item of a regulator notice's `content` in states.json -> the elements it asks for.
ITEM_ELEMENTS: dict[str, tuple[str, ...]] = {
    "PI types": ("phi_types",),
    "date of breach": ("breach_date",),
    "date of breach (later if unknown)": ("breach_date",),
    "date of incident": ("breach_date",),
    "date discovered": ("discovery_date",),
    "date determined": ("determined_date",),
    "date of breach, date of discovery, preliminary description": (
        "breach_date",
        "discovery_date",
        "what_happened",
    ),
    "timing, distribution and content of the notice": (
        "individual_notice_date",
        "distribution",
        "template_letter",
    ),
    "timing, content and distribution of the notice": (
        "individual_notice_date",
        "distribution",
        "template_letter",
    ),
    "timing, content and distribution of notices": (
        "individual_notice_date",
        "distribution",
        "template_letter",
    ),
    "nature": ("what_happened",),
    "nature of breach": ("what_happened",),
    "synopsis of events": ("what_happened",),
    "summary": ("what_happened",),
    "short description": ("what_happened",),
    "detailed description": ("what_happened",),
    "detailed description of nature/circumstances": ("what_happened",),
    "description (when and how)": ("what_happened", "breach_date"),
    "synopsis of events, approximate number of AL individuals affected, services offered (e.g., "
    "credit monitoring), contact person": (
        "what_happened",
        "state_affected",
        "identity_services",
        "contact_name",
    ),
    "nature of breach, number affected, steps taken, plans for notice, copy of notice (memory)": (
        "what_happened",
        "affected",
        "what_we_are_doing",
        "individual_notice_date",
        "template_letter",
    ),
    "name/contact, nature of breach, date, number of DC residents, steps taken, sample notice "
    "(memory)": (
        "contact_name",
        "what_happened",
        "breach_date",
        "state_affected",
        "what_we_are_doing",
        "template_letter",
    ),
    "number of affected MD residents": ("state_affected",),
    "number of WA residents": ("state_affected",),
    "number of TX residents affected": ("state_affected",),
    "number of OK residents": ("state_affected",),
    "number of NM residents notified": ("state_notified",),
    "number of MT residents notified": ("state_notified",),
    "number of MA residents": ("state_affected",),
    "number of IL residents affected": ("state_affected",),
    "number of FL individuals": ("state_affected",),
    "approximate number of NH residents": ("state_affected",),
    "number notified by mail/e-mail": ("state_notified",),
    "number affected": ("affected",),
    "approximate number affected": ("affected",),
    "estimated total affected": ("affected",),
    "estimated PA affected": ("state_affected",),
    "total affected incl. UT residents": ("affected", "state_affected"),
    "when consumers are notified: number of VT residents + copy of notice": (
        "state_notified",
        "template_letter",
    ),
    "steps taken/planned": ("what_we_are_doing",),
    "steps taken or planned": ("what_we_are_doing",),
    "measures taken and planned": ("what_we_are_doing",),
    "actions being taken": ("what_we_are_doing",),
    "summary of containment steps (memory)": ("what_we_are_doing",),
    "steps taken incl. WISP updates": ("what_we_are_doing", "wisp_updates"),
    "whether a WISP exists": ("wisp",),
    "certification of § 3A credit monitoring": ("credit_monitoring_certification",),
    "whether LE is engaged": ("law_enforcement",),
    "type of entity": ("entity_type",),
    "responsible person if known": ("responsible_person",),
    "reporter": ("contact_name",),
    "contact person": ("contact_name",),
    "services offered": ("identity_services",),
    "entity name/address": ("address",),
    "organization name and location": ("address",),
    "reasonable safeguards employed": ("safeguards",),
    "estimated monetary impact if determinable": ("monetary_impact",),
    "time frame of exposure": ("exposure_window",),
    "anticipated date of notice to individuals": ("individual_notice_date",),
    "date and method of distribution": ("individual_notice_date", "distribution"),
    "copy of the notice": ("template_letter",),
    "copy of the notice (or explanation)": ("template_letter",),
    "copy of notice without personal identifiers": ("template_letter",),
    "electronic copy of the notice": ("template_letter",),
    "form of notice and sample notice": ("distribution", "template_letter"),
    "must include the NAMES of all Louisiana citizens affected": ("resident_names",),
}

# Items that describe the notice rather than ask the filer for something: shown as notes.
ITEM_NOTES: dict[str, str] = {
    "per form": "",
    "per AG form": "",
    "only when relying on the no-harm exception (threshold: any such determination)": (
        "This notice is owed only when relying on the no-harm exception instead of notifying "
        "residents."
    ),
    "on request: police report, forensic report, policies": (
        "On request, the police report, the forensic report and the policies must be provided."
    ),
    "DACO publishes a public announcement within 24 hours": (
        "The Department publishes a public announcement of the breach within 24 hours of "
        "receiving this notice."
    ),
    "$5,000/day fine for late notice": "A late notice may be fined up to $5,000 a day.",
}

NO_CONTENT_NOTE = (
    "The law's data lists no content for this notice beyond the form's own questions: the facts on "
    "record are set out for the form; check its questions before filing."
)


NOT_CHOSEN = (
    "No other State's regulator notice is owed for these facts: choose the duty to draft one "
    "(e.g. TX2 for the Texas Attorney General)."
)
