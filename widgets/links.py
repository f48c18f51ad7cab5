"""Links to services named in a page's text, with their addresses taken from data/services.yaml.

The alert's text lost its links when it was copied ("[Childline](#)"); the notebooks keep the link text plain
and follow the paragraph with `service_links([...], LANG)`, so no address is ever written in a notebook.
"""
from __future__ import annotations

import html

from IPython.display import HTML

from .content.services import service
from .i18n import translator
from .page import _check_lang, service_line


def service_link_html(service_id: str, lang: str, text: str | None = None) -> str:
    """One service as an <a> element: its address in `lang`, and `text` (by default the service's name)."""
    _check_lang(lang)
    found = service(service_id)
    url = found.url(lang)
    if not url:
        raise ValueError(f"service '{service_id}' has no web address in data/services.yaml: "
                         f"use service_links() to show its phone number instead")
    label = html.escape(text if text is not None else found.name(lang))
    own_lang = f' lang="{found.name_lang}"' if text is None and found.name_lang and found.name_lang != lang else ""
    return f'<a href="{html.escape(url, quote=True)}" rel="noopener" target="_blank"{own_lang}>{label}</a>'


def service_link(service_id: str, lang: str, text: str | None = None) -> HTML:
    """One service's link, for a notebook cell."""
    return HTML(service_link_html(service_id, lang, text))


def service_links_html(service_ids: list[str] | tuple[str, ...], lang: str) -> str:
    """The services a passage names: each with what it is for and how to reach it, under a labelled list."""
    _check_lang(lang)
    if not service_ids:
        raise ValueError("service_links needs at least one service id from data/services.yaml")
    label = html.escape(translator(lang).gettext("Services named in this section"))
    items = "".join(service_line(service(s), lang) for s in service_ids)
    return f'<nav class="fmse-links" aria-label="{label}"><p class="fmse-links-label">{label}</p><ul>{items}</ul></nav>'


def service_links(service_ids: list[str] | tuple[str, ...], lang: str) -> HTML:
    """The services a passage names, for a notebook cell: `service_links(["childline"], LANG)`."""
    return HTML(service_links_html(service_ids, lang))
