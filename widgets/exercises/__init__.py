"""Pure exercise logic (checking, scoring, branching): no ipywidgets here, so it is testable and reusable."""
