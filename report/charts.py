"""The report's charts: plotly figures rendered to HTML fragments, plotly.js inlined once per page.

Each function takes a section's DataFrame and returns an HTML fragment, or ``None`` when there is
nothing to draw (the page then says so in words).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# outcome column -> (label, colour); the order is the stacking order
OUTCOMES = {
    "n_new": ("new", "#2e7d32"),
    "n_updated": ("updated", "#1565c0"),
    "n_unchanged": ("unchanged", "#9e9e9e"),
    "n_duplicate": ("duplicate", "#ef6c00"),
    "n_quarantined": ("quarantined", "#c62828"),
}
SEVERITY_COLOURS = {"critical": "#c62828", "warning": "#f9a825"}
ENTITY_COLOURS = {"PER": "#1565c0", "ORG": "#6a1b9a", "LOC": "#2e7d32"}
HEIGHT = 320


class ChartPage:
    """Renders figures for one page: the first carries plotly.js inline, the rest reuse it."""

    def __init__(self) -> None:
        self.js_included = False

    def render(self, figure, height: int = HEIGHT) -> str:
        """One figure as a ``<div>`` (with plotly.js before it the first time); no network needed."""
        figure.update_layout(height=height, margin={"l": 40, "r": 20, "t": 40, "b": 40},
                             template="plotly_white", legend={"orientation": "h", "y": -0.2})
        html = figure.to_html(full_html=False, include_plotlyjs=not self.js_included,
                              config={"displaylogo": False, "responsive": True})
        self.js_included = True
        return html

    def outcomes_over_runs(self, runs: pd.DataFrame) -> str | None:
        """Stacked bars: each run's input units by outcome."""
        import plotly.graph_objects as go

        if runs.empty:
            return None
        labels = run_labels(runs)
        figure = go.Figure([go.Bar(name=label, x=labels, y=runs[column].fillna(0), marker_color=colour)
                            for column, (label, colour) in OUTCOMES.items()])
        figure.update_layout(barmode="stack", title="Input units by outcome, per run", xaxis_type="category")
        return self.render(figure)

    def durations(self, runs: pd.DataFrame) -> str | None:
        """Bars: each finished run's wall time in seconds, failed runs in red."""
        import plotly.graph_objects as go

        finished = runs[runs["seconds"].notna()]
        if finished.empty:
            return None
        colours = ["#c62828" if s == "failed" else "#546e7a" for s in finished["status"]]
        figure = go.Figure(go.Bar(x=run_labels(finished), y=finished["seconds"], marker_color=colours))
        figure.update_layout(title="Run duration (seconds)", xaxis_type="category")
        return self.render(figure)

    def validation_history(self, history: pd.DataFrame) -> str | None:
        """Grouped bars: failed critical checks and warnings per run."""
        import plotly.graph_objects as go

        if history.empty:
            return None
        labels = run_labels(history)
        figure = go.Figure([
            go.Bar(name="critical failures", x=labels, y=history["n_critical_failed"], marker_color=SEVERITY_COLOURS["critical"]),
            go.Bar(name="warnings", x=labels, y=history["n_warnings"], marker_color=SEVERITY_COLOURS["warning"]),
        ])
        figure.update_layout(barmode="group", title="Failed checks per run", xaxis_type="category")
        return self.render(figure)

    def bars(self, frame: pd.DataFrame, label: str, value: str, title: str, colour_by: str | None = None) -> str | None:
        """Horizontal bars of ``value`` per ``label`` (largest on top); NULL labels read "(none)"."""
        import plotly.graph_objects as go

        if frame.empty:
            return None
        ordered = frame.iloc[::-1]
        names = [str(v) if _present(v) else "(none)" for v in ordered[label]]
        colours = ([ENTITY_COLOURS.get(t, "#546e7a") for t in ordered[colour_by]] if colour_by else "#1565c0")
        figure = go.Figure(go.Bar(x=ordered[value], y=names, orientation="h", marker_color=colours))
        figure.update_layout(title=title, yaxis_type="category")
        return self.render(figure, height=max(HEIGHT, 28 * len(frame) + 80))

    def columns(self, frame: pd.DataFrame, x: str, y: str, title: str, colour_by: str | None = None) -> str | None:
        """Vertical bars of ``y`` per ``x``, stacked by ``colour_by`` when given."""
        import plotly.graph_objects as go

        if frame.empty:
            return None
        if colour_by is None:
            traces = [go.Bar(x=[str(v) for v in frame[x]], y=frame[y], marker_color="#1565c0")]
        else:
            traces = [go.Bar(name=str(key), x=[str(v) for v in part[x]], y=part[y])
                      for key, part in frame.groupby(colour_by, dropna=False)]
        figure = go.Figure(traces)
        figure.update_layout(barmode="stack", title=title, xaxis_type="category")
        return self.render(figure)


def run_labels(runs: pd.DataFrame) -> list[str]:
    """Short x-axis labels for runs: start time and the run id's first 8 characters."""
    return [f"{t:%m-%d %H:%M} {r[:8]}" if _present(t) else r[:8] for t, r in zip(runs["started_at"], runs["run_id"])]


def _present(value) -> bool:
    """False for None, NaN, NaT and pandas NA."""
    import pandas as pd

    return not (value is None or (pd.api.types.is_scalar(value) and pd.isna(value)))
