"""ipywidgets views: each takes (exercise, lang), returns itself, and exposes results as traits."""
