"""Sections other apps add to a library's records page (the intake), which the catalogue does not know.

An app that brings a library's records in by other means (``harvesting``, from OAI-PMH sources) adds its
section in its ``AppConfig.ready``::

    sections.intake_section_add(template="harvesting/intake_sources.html", context=views.intake_sources)

``context(request, library)`` gives what the template shows, as ``section.<name>``; the records page
includes each template, in the order added, between the upload form and the batches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from jaringan.network.models import Library


@dataclass(frozen=True)
class IntakeSection:
    template: str
    context: Callable[[HttpRequest, Library], dict]


_SECTIONS: list[IntakeSection] = []


def intake_section_add(*, template: str, context: Callable[[HttpRequest, Library], dict]) -> None:
    """Show ``template`` on every library's records page (once, however often it is added)."""
    section = IntakeSection(template, context)
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def intake_sections(request: HttpRequest, library: Library) -> list[dict]:
    """Each added section for this library: its template, and what it shows."""
    return [{"template": s.template, **s.context(request, library)} for s in _SECTIONS]
