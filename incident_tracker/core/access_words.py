"""Words and cells for the sessions page and the access review (pure).

`device` summarises a User-Agent header for a person to recognise their own sign-ins (ASVS 5.0
7.5.2: a user can view and end their active sessions). `spreadsheet_cell` keeps a CSV cell from
running as a formula when the file is opened in a spreadsheet (OWASP "CSV Injection").
"""

from __future__ import annotations

from incident_tracker.core.spreadsheet import cell

_BROWSERS = (  # order matters: Edge and Opera also say "Chrome", Chrome also says "Safari"
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
)
_SYSTEMS = (  # iPhone and Android before the desktop systems their headers also name
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device(user_agent: str) -> str:
    """ "Firefox on Linux", "Safari on iPhone"; "unknown device" when the header names neither."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "unknown device"


# One helper for every CSV the app writes (core/spreadsheet.py); the name stays for its callers.
spreadsheet_cell = cell
