"""The incident's section links as markup built once per process, with the incident's own URL put
in per page: the header's section bar and the summary's old one-page anchors.

Each link is the summary's URL and a fixed section name (web/incident_sections.py routes them so),
so only that URL changes from one incident to the next; writing some twenty links through the
template, an escape per attribute, cost the summary more than its duties' rows.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup, escape

_HOME = "\x00home\x00"  # stands for the summary's URL; no section name or title holds a NUL
_CURRENT = ' aria-current="page"'


class SectionLinks:
    """The bar (one variant per current page) and the old anchors, each with `_HOME` to fill."""

    def __init__(
        self, sections: Mapping[str, tuple[str, tuple[str, ...]]], old_anchors: Mapping[str, str]
    ) -> None:
        pages = {
            "summary": ("Summary", _HOME),
            **{n: (t, f"{_HOME}/{n}") for n, (t, _) in sections.items()},
        }

        def bar(current: str | None) -> str:
            return "".join(
                f'<a href="{url}"{_CURRENT if name == current else ""}>{escape(title)}</a>'
                for name, (title, url) in pages.items()
            )

        self._bars = {name: bar(name) for name in pages}
        self._no_current = bar(None)
        self._anchors = "".join(
            f'<a id="{escape(old)}" data-section-url="{_HOME}/{name}#{escape(old)}" '
            f'href="{_HOME}/{name}#{escape(old)}" class="visually-hidden">'
            f"{escape(sections[name][0])}: {escape(old.replace('-', ' '))}</a>"
            for old, name in old_anchors.items()
        )

    def bar(self, home: str, current: str) -> Markup:
        """The header's links: the summary, then each section; the current one marked."""
        return Markup(self._bars.get(current, self._no_current).replace(_HOME, escape(home)))

    def old_anchors(self, home: str) -> Markup:
        """The one-page incident's anchors, each a link to the section that holds it now."""
        return Markup(self._anchors.replace(_HOME, escape(home)))
