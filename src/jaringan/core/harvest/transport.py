"""The one place that talks to a provider: Sickle, plus what real providers need.

``OaiClient`` is a ``sickle.Sickle`` (GET or POST, retries of HTTP 503 with
``Retry-After``) that also

* sends its requests through a ``requests.Session`` (connection reuse; a
  test passes its own), with a ``timeout``, every connection made through
  the outbound ``Policy`` (``jaringan.core.outbound``): a provider, or a
  redirect, that leads to a loopback, private or otherwise non-public
  address not allowed is refused with ``ProviderUnavailable``;
* retries refused, reset, cut-off and timed-out requests, waiting
  ``retry_wait`` × 2ⁿ seconds, then raises ``ProviderUnavailable``;
* reads a ``Retry-After`` leniently (seconds or an HTTP date, capped);
* parses each page strictly — a recovering parser would silently drop
  records — after removing control characters that XML 1.0 forbids (SLiMS
  data from MySQL carries them); what still does not parse raises
  ``MalformedResponse`` naming the endpoint and the page (and the answer
  by its status, content type and length: what a provider answered is
  never quoted in a message, lest an internal service's answer be shown);
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
from lxml import etree
from sickle import Sickle

from ..outbound import OutboundRefused, Policy, default_policy, describe_response
from ..catalog.dublin_core import parse_xml
from ..catalog.errors import UnreadableRecord
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
#: The most of a provider's OAI-PMH error description kept in a message.
MAX_DESCRIPTION = 200
NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


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
        policy: Policy | None = None,
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
        self.policy = policy if policy is not None else default_policy()
        self.session = self.policy.session(session)

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

    def _fetch(self, params: dict[str, str], page: int) -> requests.Response:
        for attempt in range(self.retries + 1):
            try:
                return self.harvest(**params).http_response
            except OutboundRefused as exc:
                raise ProviderUnavailable(f"{self.endpoint}: refused: {exc}", endpoint=self.endpoint) from None
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

    def _parse(self, response: requests.Response, params: dict[str, str], page: int):
        content = response.content

        def malformed(problem: str) -> MalformedResponse:
            answer = describe_response(response.status_code, response.headers.get("Content-Type"), len(content))
            return MalformedResponse(
                f"{self.endpoint}: page {page} of this harvest ({_asked(params)}) {problem} ({answer})",
                endpoint=self.endpoint,
                page=page,
                request=params,
                answer=answer,
            )

        try:
            root = parse_xml(content)
        except UnreadableRecord as exc:
            cleaned = FORBIDDEN_XML_BYTES.sub(b"", content)
            if cleaned == content:
                raise malformed(_unreadable(exc)) from exc
            try:
                root = parse_xml(cleaned)
            except UnreadableRecord as again:
                raise malformed(_unreadable(again)) from again
            logger.warning("%s: page %d carried control characters XML forbids; removed", self.endpoint, page)
        if root is None or not isinstance(root.tag, str) or root.tag.rsplit("}", 1)[-1] != "OAI-PMH":
            raise malformed("is XML but not an OAI-PMH response")
        return root

    def page(self, params: dict[str, str], *, page: int = 1):
        """Fetch and parse one page; raise the ``OAIError`` subclass for an OAI-PMH error answer."""
        root = self._parse(self._fetch(params, page), params, page)
        errors = children(root, "error")
        if errors:
            codes = [e.get("code") or "undefinedError" for e in errors]
            first = errors[codes.index("noRecordsMatch")] if "noRecordsMatch" in codes else errors[0]
            code = first.get("code") or "undefinedError"
            description = (first.text or "").strip()[:MAX_DESCRIPTION]
            raise oai_error(code, description, endpoint=self.endpoint, request=params)
        return root


def _unreadable(exc: UnreadableRecord) -> str:
    """Why a page could not be read, by position only (the parser's text may quote the page)."""
    cause = exc.__cause__
    if isinstance(cause, etree.XMLSyntaxError):
        line, column = cause.position if cause.position else (cause.lineno, 0)
        return f"is not well-formed XML (line {line}, column {column})"
    return f"is {exc}"


def _asked(params: dict[str, str]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items())
