"""The alert's section headings, which feedback cites, in each language."""
from __future__ import annotations

from ..i18n import translator


def section_title(section: str, lang: str) -> str:
    """The alert's own heading for a section (the Welsh catalogue holds the alert's official Welsh headings)."""
    tr = translator(lang)
    titles = {
        "context": tr.pgettext("alert section", "Context"),
        "what-it-looks-like": tr.pgettext("alert section", "What it looks like"),
        "preventative-education": tr.pgettext("alert section", "Delivering preventative education"),
        "supporting-victims": tr.pgettext("alert section", "Supporting victims"),
        "adult-victims": tr.pgettext("alert section", "Adult victims"),
        "parents-letter": tr.pgettext("alert section", "Parents and carers template letter"),
    }
    return titles[section]


def source_label(section: str, lang: str) -> str:
    """Where a "why" comes from: a section of the alert, or the course's reference sources."""
    tr = translator(lang)
    if section == "course":
        return tr.gettext("source: the course's reference notes")
    return tr.gettext("the alert, section “{section}”").format(section=section_title(section, lang))
