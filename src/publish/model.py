"""The document model: structure only, no fonts, no sizes.

``parse`` builds it from cleaned text or from the editable source; ``layout`` reads it. ``dump`` gives a
deterministic, readable text form that golden tests compare.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    """A heading paragraph of its own; ``level`` 1 is 一、/第一，, 2 is （一）, 3 is 1., 4 is （1）."""

    level: int
    text: str
    line: int = 0  # 1-based line in the source it came from; 0 when unknown


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph.

    ``lead`` is the length in characters of a run-in lead at its start (``一是坚持系统思维。`` or a
    numbered heading sentence followed by body text on the same line); 0 means none. ``lead_level`` is 0 for
    an enumeration (一是/第一，) and 1–4 when the lead is a run-in numbered heading of that level.
    """

    text: str
    lead: int = 0
    lead_level: int = 0
    line: int = 0


Block = Heading | Paragraph


@dataclass(frozen=True)
class Speech:
    """One speech: its title lines (more than one when the source marks a break), speaker line and blocks."""

    title: tuple[str, ...]
    blocks: tuple[Block, ...]
    speaker: str = ""
    line: int = 0

    @property
    def title_text(self) -> str:
        """Return the title as one line, its parts joined by a full-width space."""
        return "\u3000".join(self.title)


@dataclass(frozen=True)
class Booklet:
    """A collection of speeches with the cover metadata; empty strings mean "not given"."""

    title: str
    speeches: tuple[Speech, ...]
    subtitle: str = ""
    organisation: str = ""
    date: str = ""


def dump(booklet: Booklet) -> str:
    """Return a deterministic text dump of ``booklet``, one element a line."""
    out = [f"booklet: {booklet.title}"]
    for name in ("subtitle", "organisation", "date"):
        value = getattr(booklet, name)
        if value:
            out.append(f"  {name}: {value}")
    for number, speech in enumerate(booklet.speeches, 1):
        out.append(f"speech {number}: {' | '.join(speech.title)}")
        if speech.speaker:
            out.append(f"  speaker: {speech.speaker}")
        for block in speech.blocks:
            if isinstance(block, Heading):
                out.append(f"  h{block.level}: {block.text}")
            elif block.lead:
                kind = f"h{block.lead_level}" if block.lead_level else "lead"
                out.append(f"  p[{kind}]: {block.text[: block.lead]} ‖ {block.text[block.lead :]}")
            else:
                out.append(f"  p: {block.text}")
    return "\n".join(out) + "\n"
