"""The one place that talks to a provider: Sickle, plus what real providers need.

``OaiClient`` is a ``sickle.Sickle`` (GET or POST, retries of HTTP 503 with
``Retry-After``) that also

* sends its requests through a ``requests.Session`` given to it (connection
  reuse; a test or a proxy set-up passes its own), with a ``timeout``;
* retries refused, reset, cut-off and timed-out requests, waiting
  ``retry_wait`` × 2ⁿ seconds, then raises ``ProviderUnavailable``;
* reads a ``Retry-After`` leniently (seconds or an HTTP date, capped);
* parses each page strictly — a recovering parser would silently drop
  records — after removing control characters that XML 1.0 forbids (SLiMS
  data from MySQL carries them); what still does not parse raises
  ``MalformedResponse`` naming the endpoint and the page;
* raises the ``OAIError`` subclass for an OAI-PMH ``<error>``.

Tests point it at a real local provider (``tests/support/oai_server.py``);
nothing is patched.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time

import requests
from sickle import Sickle

from ..dublin_core import parse_xml
from ..errors import UnreadableRecord
from .errors import MalformedResponse, ProviderUnavailable, oai_error
from .page import children

__all__ = ["OaiClient"]

logger = logging.getLogger(__name__)

#: HTTP statuses retried (by Sickle, honouring Retry-After) before giving up.
RETRY_STATUSES = (429, 502, 503, 504)
#: The longest Retry-After honoured, in seconds.
MAX_RETRY_AFTER = 300
#: Bytes XML 1.0 forbids (C0 controls other than tab, LF, CR); never part of a UTF-8 sequence.
FORBIDDEN_XML_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
SHOWN_BYTES = 80


class OaiClient(Sickle):
    """A Sickle client with a session, a timeout and network retries (see the module's docstring)."""

    def __init__(
        self,
        endpoint: str,
        *,
        timeout: float = 30,
        retries: int = 3,
        retry_wait: float = 5.0,
        http_method: str = "GET",
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(
            endpoint,
            http_method=http_method.upper(),
            max_retries=retries,
            retry_status_codes=RETRY_STATUSES,
            default_retry_after=retry_wait,
            timeout=timeout,
        )
        self.retries = retries
        self.retry_wait = retry_wait
        self.session = session if session is not None else requests.Session()

    def _request(self, kwargs):
        if self.http_method == "GET":
            return self.session.get(self.endpoint, params=kwargs, **self.request_args)
        return self.session.post(self.endpoint, data=kwargs, **self.request_args)

    def get_retry_after(self, http_response) -> float:
        """Seconds to wait before retrying: ``Retry-After`` in seconds or as a date, capped."""
        value = (http_response.headers.get("Retry-After") or "").strip()
        if value.isdigit():
            return min(int(value), MAX_RETRY_AFTER)
        try:
            when = email.utils.parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError):
            return self.default_retry_after
        return max(0.0, min(when - time.time(), MAX_RETRY_AFTER))

    def _fetch(self, params: dict[str, str], page: int) -> bytes:
        for attempt in range(self.retries + 1):
            try:
                return self.harvest(**params).http_response.content
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else None
                raise ProviderUnavailable(
                    f"{self.endpoint} answered HTTP {status} to page {page} ({_asked(params)})",
                    endpoint=self.endpoint,
                    status=status,
                ) from exc
            except NETWORK_ERRORS as exc:
                if attempt == self.retries:
                    raise ProviderUnavailable(
                        f"{self.endpoint} could not be reached for page {page} ({_asked(params)}) after "
                        f"{self.retries + 1} attempts: {exc}",
                        endpoint=self.endpoint,
                    ) from exc
                wait = self.retry_wait * 2**attempt
                logger.warning("%s: page %d failed (%s); retrying in %.1f s", self.endpoint, page, exc, wait)
                time.sleep(wait)
            except requests.RequestException as exc:  # a bad URL, too many redirects: retrying will not help
                raise ProviderUnavailable(f"{self.endpoint}: {exc}", endpoint=self.endpoint) from exc
        raise AssertionError("unreachable")

    def _parse(self, content: bytes, params: dict[str, str], page: int):
        def malformed(problem: str) -> MalformedResponse:
            return MalformedResponse(
                f"{self.endpoint}: page {page} of this harvest ({_asked(params)}) {problem}; "
                f"it begins {content[:SHOWN_BYTES]!r}",
                endpoint=self.endpoint,
                page=page,
                request=params,
            )

        try:
            root = parse_xml(content)
        except UnreadableRecord as exc:
            cleaned = FORBIDDEN_XML_BYTES.sub(b"", content)
            if cleaned == content:
                raise malformed(f"is {exc}") from exc
            try:
                root = parse_xml(cleaned)
            except UnreadableRecord as again:
                raise malformed(f"is {again}") from again
            logger.warning("%s: page %d carried control characters XML forbids; removed", self.endpoint, page)
        if root is None or not isinstance(root.tag, str) or root.tag.rsplit("}", 1)[-1] != "OAI-PMH":
            name = root.tag if root is not None and isinstance(root.tag, str) else "nothing"
            raise malformed(f"is <{name}>, not an OAI-PMH response")
        return root

    def page(self, params: dict[str, str], *, page: int = 1):
        """Fetch and parse one page; raise the ``OAIError`` subclass for an OAI-PMH error answer."""
        root = self._parse(self._fetch(params, page), params, page)
        errors = children(root, "error")
        if errors:
            codes = [e.get("code") or "undefinedError" for e in errors]
            first = errors[codes.index("noRecordsMatch")] if "noRecordsMatch" in codes else errors[0]
            code = first.get("code") or "undefinedError"
            raise oai_error(code, (first.text or "").strip(), endpoint=self.endpoint, request=params)
        return root


def _asked(params: dict[str, str]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items())
