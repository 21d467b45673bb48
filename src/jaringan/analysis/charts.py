"""Charts drawn server-side by matplotlib as SVG, shown as images (no script needed) with their table beside;
the same charts as PNG for the yearly reports' PDF (`chart_png`).

A page links each chart by an address that carries what it shows, signed (`chart`), and the image is
drawn from it (`chart_response`), compressed: a page of charts stays light on a weak connection, whichever
server process draws it. The image shows nothing but what the page that linked it showed, and reflects
nothing a visitor typed, so it may be compressed for a signed-in person too.

A chart is rendered once per distinct content and format and kept in Django's cache (`CACHE_SECONDS`):
about 150 ms to draw, nothing to show it again. matplotlib is imported on the first chart only.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading

from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.text import compress_string

CACHE_SECONDS = 24 * 3600
#: What a chart's address is signed for (an address made for another purpose is no chart's).
SALT = "jaringan.analysis.chart"
#: Colours that stay apart for readers with common colour-vision deficiencies (Okabe–Ito).
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

_lock = threading.Lock()


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("svg", force=False)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    return figure


def _render(spec: dict, fmt: str = "svg") -> str | bytes:
    import matplotlib

    with _lock, matplotlib.rc_context({"svg.fonttype": "none", "font.size": 9, "svg.hashsalt": "jaringan"}):
        labels, series = spec["labels"], spec["series"]
        horizontal = spec.get("horizontal", False)
        height = max(2.6, 0.28 * len(labels) + 1) if horizontal else 2.8
        figure = _figure(6.4, height)
        ax = figure.subplots()
        positions = list(range(len(labels)))
        width = 0.8 / max(len(series), 1)
        for i, (name, values) in enumerate(series):
            offset = [p - 0.4 + width * (i + 0.5) for p in positions]
            values = [v or 0 for v in values]
            if spec.get("kind") == "line":
                ax.plot(positions, values, marker="o", color=COLOURS[i % len(COLOURS)], label=name)
            elif horizontal:
                ax.barh(offset, values, height=width, color=COLOURS[i % len(COLOURS)], label=name)
            else:
                ax.bar(offset, values, width=width, color=COLOURS[i % len(COLOURS)], label=name)
        if horizontal:
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.set_xlabel(spec.get("unit", ""))
        else:
            ax.set_xticks(positions, labels, rotation=spec.get("rotate", 0))
            ax.set_ylabel(spec.get("unit", ""))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=8)
        if fmt == "png":
            out = io.BytesIO()
            figure.savefig(out, format="png", dpi=150, metadata={"Software": None})
            return out.getvalue()
        text = io.StringIO()
        figure.savefig(text, format="svg", metadata={"Date": None})
        return text.getvalue()


def _drawn(spec: dict, fmt: str) -> str | bytes:
    key = f"analysis-chart-{fmt}:" + hashlib.sha1(json.dumps(spec, sort_keys=True, default=float).encode()).hexdigest()
    drawn = cache.get(key)
    if drawn is None:
        drawn = _render(spec, fmt)
        cache.set(key, drawn, CACHE_SECONDS)
    return drawn


def _spec(labels, series, unit, horizontal, kind, rotate) -> dict:
    return {"labels": [str(x) for x in labels], "series": [(str(n), list(v)) for n, v in series],
            "unit": str(unit), "horizontal": horizontal, "kind": kind, "rotate": rotate}


def chart(*, title: str, labels: list[str], series: list[tuple[str, list]], unit: str = "",
          horizontal: bool = False, kind: str = "bar", rotate: int = 0) -> dict:
    """A chart for a template: ``src`` (the address of its SVG image) and ``title`` (its alternative text)."""
    spec = _spec(labels, series, unit, horizontal, kind, rotate)
    signed = signing.Signer(salt=SALT).sign_object(spec, compress=True)  # the same chart, the same address
    return {"title": str(title), "src": reverse("analysis_chart", args=[signed])}


def chart_response(request, signed: str) -> HttpResponse:
    """The SVG image of a chart's signed address (404 for any other), gzipped when the browser takes it."""
    try:
        spec = signing.Signer(salt=SALT).unsign_object(signed)
    except signing.BadSignature:
        raise Http404 from None
    body = _drawn(spec, "svg").encode()
    response = HttpResponse(content_type="image/svg+xml")
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        body = compress_string(body)
        response["Content-Encoding"] = "gzip"
    response.content = body
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = f"private, max-age={CACHE_SECONDS}"
    return response


def chart_png(*, labels: list[str], series: list[tuple[str, list]], unit: str = "", horizontal: bool = False,
              kind: str = "bar", rotate: int = 0) -> bytes:
    """The same chart as a PNG image (150 dpi), for a PDF."""
    return _drawn(_spec(labels, series, unit, horizontal, kind, rotate), "png")
