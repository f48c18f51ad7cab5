"""Course content as data: bilingual text pairs, exercises, and their validation."""
from .errors import ContentError
from .text import Text

__all__ = ["ContentError", "Text"]
