"""The letter for parents and carers (module 06): composing it, exporting it, and the builder in the page.

Notebooks use: `from fmse_widgets.letter import letter_builder, social_posts`.
compose.py and export.py import no ipywidgets; view.py is the page's builder.
"""
from __future__ import annotations

__all__ = ["letter_builder", "social_posts"]


def __getattr__(name: str):
    # Imported on first use, so loading the letter's logic (or the CLI) does not import ipywidgets.
    if name in __all__:
        from . import view
        return getattr(view, name)
    raise AttributeError(name)
