"""The safeguarding lead's dashboard: case patterns in the synthetic data, the response checklist, staff training.

Notebooks use: `from fmse_widgets.dashboard import dashboard`, then `dashboard(LANG)`.
"""
from __future__ import annotations

__all__ = ["dashboard"]


def dashboard(lang: str, **kwargs):
    """The dashboard's tabs ("Case patterns", "Response checklist", "Staff training") in `lang`."""
    from .app import build

    return build(lang, **kwargs)
