"""Rendering a notice: a Jinja environment of its own, a tiny block markup, and the draft.

The environment is separate from Flask's: `StrictUndefined` (a misspelt slot fails loudly) and no
HTML escaping, so "Smith & Sons" stays as typed in text and DOCX; the HTML that becomes a PDF is
escaped in the documents layer (architecture.md §1.7). User values are data passed to templates,
never template source. The loader is passed in by the caller, so core holds no paths.

Templates mark structure with helper calls (`title`, `heading`, `bullet`, `field`, `page_break`)
that emit lines starting with a control character; user text has every control character removed
(details.clean_text), so it can never forge structure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from jinja2 import BaseLoader, Environment, StrictUndefined

from incident_tracker.core.notices.content import structure_problems
from incident_tracker.core.notices.context import NoticeContext
from incident_tracker.core.notices.elements import Requirement, missing_elements
from incident_tracker.core.notices.kinds import KINDS, NoticeKind

MARK = "\x1e"
SEP = "\x1f"


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a document: title, heading, paragraph, bullet, field or page_break."""

    kind: str
    text: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    kind: NoticeKind
    title: str
    blocks: tuple[Block, ...]
    missing: tuple[Requirement, ...]
    ca_format: bool
    notes: tuple[str, ...] = ()  # for the person drafting: due dates, related duties

    @property
    def text(self) -> str:
        return to_text(self.blocks)


def _one_line(text: object) -> str:
    return " ".join(str(text).split("\n"))


def _title(text: object) -> str:
    return f"{MARK}T{_one_line(text)}"


def _heading(text: object) -> str:
    return f"{MARK}H{_one_line(text)}"


def _bullet(text: object) -> str:
    return f"{MARK}B{_one_line(text)}"


def _field(label: object, value: object) -> str:
    return f"{MARK}F{_one_line(label)}{SEP}{value}"


def _page_break() -> str:
    return f"{MARK}P"


def make_environment(loader: BaseLoader) -> Environment:
    """The letters' environment; `loader` points at templates/notices/letters/."""
    env = Environment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        title=_title, heading=_heading, bullet=_bullet, field=_field, page_break=_page_break
    )
    return env


_KINDS = {"T": "title", "H": "heading", "B": "bullet", "F": "field", "P": "page_break"}


def parse_blocks(raw: str) -> tuple[Block, ...]:
    """Rendered template output to blocks; a line after a block without a blank continues it."""
    blocks: list[Block] = []
    open_block = False
    for line in raw.split("\n"):
        if line.startswith(MARK) and len(line) > 1 and line[1] in _KINDS:
            kind, payload = _KINDS[line[1]], line[2:]
            label, _, text = payload.partition(SEP) if kind == "field" else ("", "", payload)
            blocks.append(Block(kind, text.strip(), label.strip()))
            open_block = kind in ("bullet", "field")
        elif not line.strip():
            open_block = False
        elif open_block and blocks:
            last = blocks[-1]
            joined = f"{last.text}\n{line.rstrip()}" if last.text else line.rstrip()
            blocks[-1] = Block(last.kind, joined, last.label)
        else:
            blocks.append(Block("paragraph", line.rstrip()))
            open_block = True
    return tuple(blocks)


def to_text(blocks: Iterable[Block]) -> str:
    """Plain text: underlined title and headings, "-" bullets, "Label: value" fields."""
    out: list[str] = []
    previous = ""
    for b in blocks:
        tight = b.kind == previous and b.kind in ("bullet", "field")
        if out and not tight:
            out.append("")
        if b.kind == "title":
            out += [b.text, "=" * len(b.text)]
        elif b.kind == "heading":
            out += [b.text, "-" * len(b.text)]
        elif b.kind == "bullet":
            out.append("  - " + b.text.replace("\n", "\n    "))
        elif b.kind == "field":
            out.append(f"{b.label}:" + ("\n" if "\n" in b.text else " ") + b.text)
        elif b.kind == "page_break":
            out.append("* * *")
        else:
            out.append(b.text)
        previous = b.kind
    return "\n".join(out) + "\n"


def render(env: Environment, ctx: NoticeContext) -> NoticeDraft:
    """Render one notice and check it: missing elements plus, for a letter in the CA format, the
    title and headings its law requires (the jurisdictions' `structure` checks)."""
    template = env.get_template(KINDS[ctx.kind].template)
    blocks = parse_blocks(template.render(**ctx.template_vars()))
    missing = list(missing_elements(ctx.kind, ctx))
    if ctx.ca_format:
        missing += structure_problems(blocks)
    return NoticeDraft(ctx.kind, ctx.title, blocks, tuple(missing), ctx.ca_format, ctx.notes)


def append_appendix(
    draft: NoticeDraft, appendix: NoticeDraft, label: str, caption: str
) -> NoticeDraft:
    """A notice that carries another as an attachment (the NY template letter, (8)(a))."""
    missing = [Requirement(f"{label}: {r.element}", r.citation) for r in appendix.missing]
    blocks = (*draft.blocks, Block("page_break"), Block("paragraph", caption), *appendix.blocks)
    return replace(draft, blocks=blocks, missing=(*draft.missing, *missing))


def merge(drafts: Sequence[NoticeDraft]) -> tuple[Block, ...]:
    """Several letters in one document, each starting on a new page."""
    blocks: list[Block] = []
    for i, d in enumerate(drafts):
        if i:
            blocks.append(Block("page_break"))
        blocks.extend(d.blocks)
    return tuple(blocks)
