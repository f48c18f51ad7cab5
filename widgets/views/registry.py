"""Which view renders which exercise type."""
from __future__ import annotations

from .choice import ChoiceView

VIEWS = {
    "single-choice": ChoiceView,
    "multiple-choice": ChoiceView,
}


def view_for(exercise):
    try:
        return VIEWS[exercise.type]
    except KeyError:
        raise ValueError(f"exercise '{exercise.id}': no view for type '{exercise.type}'") from None
