"""The pass's QR code and Code 128 barcode as SVG, drawn on the server (no script, no outside service)."""

from __future__ import annotations

import io
import re

import barcode
import segno
from barcode.writer import SVGWriter

MM = 96 / 25.4
_STYLE = re.compile(r'style="([^"]*)"')
_SIZE = re.compile(r'width="([\d.]+)mm" height="([\d.]+)mm"')


def qr_svg(text: str) -> str:
    """A QR code (error correction M) as an inline SVG element, scaled by its container."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="svg", scale=4, border=2, xmldecl=False,
                                                   svgns=True, svgclass="qr", lineclass=None, omitsize=True)
    return out.getvalue().decode()


def code128_svg(text: str) -> str:
    """A Code 128 barcode as an inline SVG element, with the code printed under it."""
    out = io.BytesIO()
    barcode.get("code128", text, writer=SVGWriter()).write(out, options={
        "module_width": 0.3, "module_height": 12, "font_size": 8, "text_distance": 4, "quiet_zone": 4,
    })
    svg = out.getvalue().decode()
    svg = svg[svg.find("<svg"):]
    # The writer sizes the drawing in millimetres; a viewBox in user units (96 per inch) lets it shrink to a
    # phone's width while keeping its proportions.
    m = _SIZE.search(svg)
    if m:
        width, height = (float(m.group(i)) * MM for i in (1, 2))
        svg = svg[:m.start()] + f'viewBox="0 0 {width:.2f} {height:.2f}" class="code128"' + svg[m.end():]
    # No inline styles under the site's Content-Security-Policy: the same properties as SVG attributes.
    return _STYLE.sub(lambda m: " ".join(f'{k.strip()}="{v.strip()}"' for k, v in (
        d.split(":", 1) for d in m.group(1).split(";") if ":" in d)), svg)
