"""The newcomer journeys on a phone (375 x 800), in Indonesian and in English, as a reader, as a member of
staff, as the interlibrary loan staff of a lender and as a coordinator: no page scrolls sideways, none logs
a console error or a violation of the Content-Security-Policy, none shows a raw code (an ISO 18626 status
or request state, ``None``, a template's or a format string's braces) or, in Indonesian, a sentence of the
catalogue left in English, and the main menu is one "Menu" control that opens without JavaScript.

Every page is loaded as a first visit, in a browser context of its own (the signed-in person's cookies and
nothing cached), and weighs at most ``MAX_FIRST_LOAD`` over the wire: the page and every style sheet, script
and image it loads, as the browser received them (compressed where the server compressed them).

A screenshot of every step is kept under ``JARINGAN_SCREENSHOTS`` (default: the test's tmp_path) for review.
"""

from __future__ import annotations

import gettext
import os
import re
from functools import cache
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
LANGS = {"id": "id-ID", "en": "en-GB"}
#: Bytes a page may take over the wire on a first visit, with everything it loads (a weak connection's budget).
MAX_FIRST_LOAD = 50 * 1024

#: What the page and the files it loaded took over the wire (headers and encoded bodies), by Resource Timing.
WEIGHT = """
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const files = performance.getEntriesByType("resource").map((r) => [r.name, r.transferSize]);
  return {page: nav.transferSize, files: files,
          total: nav.transferSize + files.reduce((sum, f) => sum + f[1], 0)};
}
"""

#: Collects the violations the page reports to itself, from the first script on.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

#: How far the page reaches past the window, and the elements that reach furthest (where the overflow starts).
OVERFLOW = """
() => {
  const width = window.innerWidth, doc = document.documentElement;
  if (doc.scrollWidth <= width) return null;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox !== "visible") return true;
    }
    return false;
  };
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (el.classList.length) s += "." + [...el.classList].join(".");
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50);
    return text ? `${s} "${text}"` : s;
  };
  const depth = (el) => { let d = 0; for (let p = el; p; p = p.parentElement) d++; return d; };
  // The elements that reach past the window while their parent does not: where the overflow starts.
  const right = (el) => el.getBoundingClientRect().right;
  const wide = [...document.body.querySelectorAll("*")]
    .map((el) => [el, right(el)])
    .filter(([el, r]) => r > width + 0.5 && right(el.parentElement) <= width + 0.5 && !clipped(el));
  wide.sort((a, b) => (b[1] - a[1]) || (depth(a[0]) - depth(b[0])));
  return {scrollWidth: doc.scrollWidth, width: width,
          widest: wide.slice(0, 3).map(([el, right]) => `${name(el)} (right ${Math.round(right)}px)`)};
}
"""


#: The text a reader sees, one string per text node: hidden elements, scripts and styles left out, and the
#: syntax a reader types (``code``, ``kbd``: ``subject:`` in the search help).
TEXTS = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement, text = node.textContent.replace(/\\s+/g, " ").trim();
    if (!text || !el || el.closest("script, style, noscript, template, code, kbd")) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === "hidden") continue;
    out.push(text);
  }
  return out;
}
"""

#: Codes never shown as words: the states of a request that no language writes that way, the braces of a
#: template or format string left unfilled, Python's None.
RAW = re.compile(r"(?<![\w-])(AwaitingApproval|RequestReceived|ExpectToSupply|WillSupply|RetryPossible|"
                 r"CopyCompleted|LoanCompleted|CompletedWithoutReturn|None)(?![\w-])|\{\{|\}\}|\{%|%\}|%\(\w+\)")
#: Codes that are also English words: raw only on an Indonesian page.
RAW_IN_INDONESIAN = re.compile(r"(?<![\w-])(Validated|Sent|Rejected|Loaned|Overdue|Recalled|Unfilled|Cancelled|"
                               r"admitted|applied|suspended|book|serial|article|loan|copy|ind|eng)(?![\w-])")


@cache
def catalogue() -> tuple[frozenset[str], frozenset[str]]:
    """The catalogue's English sentences that Indonesian writes otherwise (not a word both languages share),
    and every sentence of the catalogue in either language."""
    from jaringan import __file__ as package

    with open(Path(package).parent / "locale" / "id" / "LC_MESSAGES" / "django.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    pairs = [(k.split("\x04")[-1], v) for k, v in catalog.items() if isinstance(k, str) and k]
    indonesian = {v for _k, v in pairs}
    english = frozenset(k for k, v in pairs if v and k != v and k not in indonesian and len(k) > 2 and "%" not in k)
    return english, frozenset(indonesian | {k for k, _v in pairs})


def raw_text(texts: list[str], lang: str) -> list[str]:
    """Each text node that shows a code, or (in Indonesian) a sentence of the catalogue left in English.
    "None" is a code unless the catalogue writes it ("None yet.")."""
    found = []
    english, known = catalogue()
    for text in texts:
        hit = RAW.search(text) or (RAW_IN_INDONESIAN.search(text) if lang == "id" else None)
        if hit and not (hit.group(0) == "None" and text in known):
            found.append(f"raw code {hit.group(0)!r} in {text[:90]!r}")
        elif lang == "id" and (text in english or text.rstrip(":.…") in english):
            found.append(f"English left untranslated: {text[:90]!r}")
    return found


@pytest.fixture
def journeys(demo_network, principal):
    """Records, serials, an interlibrary loan request, a bibliography and a network pass for the journeys."""
    from jaringan.bibliographies import services as bibliographies
    from jaringan.catalog.services.batches import batch_start
    from jaringan.catalog.services.ingest import ingest
    from jaringan.catalog.models import Edition, ImportBatch
    from jaringan.demo.serials import load_serials
    from jaringan.discovery import services as discovery
    from jaringan.ill import services as ill
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM
    from jaringan.reciprocal import services as reciprocal
    from jaringan.serials.models import Serial
    from tests.catalog.items import loc_items, retyped

    books = loc_items(12)
    for code in ("UNPATTI", "UNHAS", "UNUD"):
        batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code), name=f"{code}.mrc",
                            format="marc21")
        ingest(batch=batch, items=[retyped(i, source_id=f"{code}-{n}") for n, i in enumerate(books)])
    discovery.reindex()
    load_serials()
    reader, desk = principal("pembaca"), principal("staf.unpatti")
    wanted = Edition.objects.filter(records__source_id="UNPATTI-1").get()
    request = ill.illrequest_create(actor=reader, edition=wanted, service="loan")
    sent = ill.illrequest_create(actor=desk, edition=Edition.objects.filter(records__source_id="UNPATTI-2").get(),
                                 service="loan", reader_name="Tamu")
    sent.refresh_from_db()
    bibliography = bibliographies.bibliography_create(actor=reader, data={"title": "Sejarah Maluku"})
    holder = reciprocal.pass_apply(actor=reader, category="student")
    reciprocal.pass_decide(actor=desk, pass_id=holder.pk, approve=True)
    return {
        "edition": Edition.objects.filter(records__source_id="UNPATTI-0").get().pk,
        "serial": Serial.objects.get(issn_l="0853-1773").pk,
        "batch": ImportBatch.objects.filter(library__code="UNPATTI").order_by("pk").first().pk,
        "request": request.pk,
        "sent": sent.pk,
        "lender": sent.supplier.code,
        "bibliography": bibliography.pk,
    }


def reader_pages(j):
    return ["/", "/search/?q=indonesia", f"/catalogue/{j['edition']}/", "/serials/", f"/serials/{j['serial']}/",
            "/libraries/", "/libraries/UNPATTI/", "/networks/", "/networks/JPIT/",
            "/agreements/check/?requester=UNPATTI&supplier=UNHAS&service=loan", "/bibliographies/",
            f"/bibliographies/{j['bibliography']}/", "/my/pass/", "/my/requests/", f"/my/requests/{j['request']}/",
            "/analysis/"]


def staff_pages(j):
    return ["/manage/", "/manage/libraries/UNPATTI/records/", f"/manage/batches/{j['batch']}/",
            "/manage/libraries/UNPATTI/holdings/", "/manage/ill/", "/manage/ill/lending/",
            f"/manage/ill/requests/{j['request']}/", "/manage/ill/ledger/", "/ill/new/", "/manage/reciprocal/",
            "/manage/reciprocal/UNPATTI/desk/", "/analysis/libraries/UNPATTI/evaluation/",
            "/analysis/libraries/UNPATTI/order-check/", "/analysis/libraries/UNPATTI/retention/"]


def ill_staff_pages(j):
    """The lender's interlibrary loan desk: its queue, the request it was sent, print, its ledger."""
    lender = j["lender"]
    return [f"/manage/ill/lending/?library={lender}", f"/manage/ill/lending/?library={lender}&state=RequestReceived",
            f"/manage/ill/requests/{j['sent']}/", f"/manage/ill/?library={lender}",
            f"/manage/ill/ledger/?library={lender}", f"/manage/ill/print/slip/?library={lender}&ids={j['sent']}"]


def coordinator_pages(j):
    return ["/manage/", "/networks/JPIT/", "/manage/networks/JPIT/ill/", "/analysis/", "/analysis/networks/JPIT/",
            "/analysis/networks/JPIT/evaluation/", "/analysis/networks/JPIT/last-copies/",
            "/analysis/networks/JPIT/libraries/UNPATTI/", "/analysis/group/"]


class Walk:
    """One role in a language at phone size, each page a first visit in a fresh browser context with the role's
    cookies; collects every problem it meets."""

    def __init__(self, browser, base: str, lang: str, role: str, shots: Path, problems: list):
        self.browser, self.base, self.lang, self.role = browser, base, lang, role
        self.shots, self.problems = shots, problems
        self.state = None  # the signed-in person's cookies
        self.weights: dict[str, int] = {}
        self.step = 0

    def open(self):
        """A fresh context (nothing cached) with the role's cookies, and a page that reports its problems."""
        context = self.browser.new_context(locale=LANGS[self.lang], viewport=PHONE, storage_state=self.state)
        context.add_init_script(LISTEN)
        page = context.new_page()
        page.set_default_timeout(15000)
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console.append(str(e)))
        return context, page, console

    def sign_in(self, username: str, password: str) -> None:
        self.visit("/accounts/login/")  # checked and weighed as every page is
        context, page, _console = self.open()
        page.goto(self.base + "/accounts/login/")
        page.fill("main #id_username", username)
        page.fill("main #id_password", password)
        with page.expect_navigation():
            page.press("main #id_password", "Enter")
        assert "/accounts/login/" not in page.url, f"{username} could not sign in"
        self.state = context.storage_state()
        context.close()

    def visit(self, path: str) -> None:
        where = f"{self.role}/{self.lang} {path}"
        context, page, console = self.open()
        response = page.goto(self.base + path)
        page.wait_for_load_state("load")
        if response.status >= 400:
            self.problems.append(f"{where}: HTTP {response.status}")
        if page.locator("html").get_attribute("lang") != self.lang:
            self.problems.append(f"{where}: the page is not in {self.lang}")
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            self.problems.append(f"{where}: scrolls sideways ({overflow['scrollWidth']}px in {overflow['width']}px);"
                                 f" widest: {'; '.join(overflow['widest'])}")
        self.problems.extend(f"{where}: CSP violation: {v}" for v in page.evaluate("window.__violations"))
        self.problems.extend(f"{where}: {problem}" for problem in raw_text(page.evaluate(TEXTS), self.lang))
        self.step += 1
        slug = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_").replace("=", "-") or "home"
        page.screenshot(path=self.shots / f"{self.role}-{self.lang}-{self.step:02d}-{slug[:60]}.png", full_page=True)
        weight = page.evaluate(WEIGHT)  # after the screenshot: what loads late is counted too
        self.weights[path] = weight["total"]
        if weight["total"] > MAX_FIRST_LOAD:
            heaviest = sorted(weight["files"], key=lambda f: -f[1])[:3]
            self.problems.append(f"{where}: {weight['total']:,} bytes on a first visit (at most {MAX_FIRST_LOAD:,}):"
                                 f" the page {weight['page']:,}, then "
                                 + ", ".join(f"{name.removeprefix(self.base)} {size:,}" for name, size in heaviest))
        self.problems.extend(f"{where}: console error: {text}" for text in console)
        context.close()


def check_menu(walk: Walk) -> None:
    """At phone size the links hide behind "Menu", which opens them; the search box stays in view."""
    context, page, _console = walk.open()
    page.goto(walk.base + "/")
    summary = page.locator("header.top details.menu > summary")
    assert summary.is_visible()
    link = page.locator("header.top details.menu nav a").first
    assert not link.is_visible()
    assert page.locator("header.top input[type=search]").is_visible()
    summary.click()
    assert link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=walk.shots / f"{walk.role}-{walk.lang}-00-menu-open.png")
    page.set_viewport_size({"width": 1280, "height": 800})  # on a desktop: every link in view, no "Menu"
    page.goto(walk.base + "/")
    assert not summary.is_visible() and link.is_visible()
    page.screenshot(path=walk.shots / f"{walk.role}-{walk.lang}-00-desktop.png")
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_journeys_fit_a_phone_in_both_languages(live_server, browser, journeys, passwords, tmp_path):
    shots = Path(os.environ.get("JARINGAN_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    weights: dict[str, int] = {}
    lender = f"staf.{journeys['lender'].lower()}"
    roles = [("pembaca", reader_pages), ("staf.unpatti", staff_pages), (lender, ill_staff_pages),
             ("koordinator", coordinator_pages)]
    for lang in LANGS:
        for username, pages in roles:
            walk = Walk(browser, live_server.url, lang, username, shots, problems)
            if username == "pembaca":
                check_menu(walk)
            walk.sign_in(username, passwords[username])
            for path in pages(journeys):
                walk.visit(path)
            weights.update({f"{username}/{lang} {path}": size for path, size in walk.weights.items()})
    (shots / "weights.txt").write_text("".join(f"{size:>8,} {page}\n" for page, size in sorted(
        weights.items(), key=lambda kv: -kv[1])))  # every page's first-load weight, heaviest first, for review
    assert not problems, "\n".join(problems)
    assert len(list(shots.glob("*.png"))) >= 2 * sum(len(pages(journeys)) + 1 for _, pages in roles)


@pytest.mark.django_db(transaction=True)
def test_the_menu_opens_without_javascript(live_server, browser, demo_network):
    context = browser.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator("header.top details.menu > summary").click()
    page.locator("header.top details.menu nav").get_by_role("link", name="Libraries").click()
    page.wait_for_url(f"{live_server.url}/libraries/")
    context.close()


def test_the_text_check_finds_codes_and_english_left_in_indonesian():
    assert raw_text(["Dipinjamkan", "Permintaan peminjaman"], "id") == []
    assert raw_text(["Menunggu: WillSupply", "Status None", "{{ req.state }}", "oleh %(name)s"], "en") == [
        "raw code 'WillSupply' in 'Menunggu: WillSupply'", "raw code 'None' in 'Status None'",
        "raw code '{{' in '{{ req.state }}'", "raw code '%(name)' in 'oleh %(name)s'"]
    assert raw_text(["Loaned", "Lending requests", "None yet."], "en") == []
    assert raw_text(["Status: Loaned", "Lending requests"], "id") == [
        "raw code 'Loaned' in 'Status: Loaned'", "English left untranslated: 'Lending requests'"]


@pytest.mark.django_db(transaction=True)
def test_a_lender_answers_a_request_on_a_phone_without_javascript(live_server, browser, journeys, passwords,
                                                                   tmp_path):
    """The request's one action area on a phone with scripts off: the note goes with the button pressed, a red
    button is held back by the browser until its box is ticked, and none of it scrolls sideways."""
    from jaringan.ill.models import IllRequest

    shots = Path(os.environ.get("JARINGAN_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    lender = f"staf.{journeys['lender'].lower()}"
    context = browser.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("main #id_username", lender)
    page.fill("main #id_password", passwords[lender])
    with page.expect_navigation():
        page.press("main #id_password", "Enter")
    url = f"{base}/manage/ill/requests/{journeys['sent']}/"
    page.goto(url)
    area = page.locator("#actions")
    assert area.locator("form").count() == 1 and area.locator("textarea[name=note]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=shots / "lender-en-actions.png", full_page=True)

    # A red button without its box ticked: the browser keeps the form back, nothing changes.
    area.locator('button[value="Unfilled"]').click()
    assert page.url == url and IllRequest.objects.get(pk=journeys["sent"]).state == "RequestReceived"
    # Another button needs no tick, and takes the note with it.
    area.locator("textarea[name=note]").fill("Checking the shelf.")
    with page.expect_navigation():
        area.locator('button[value="ExpectToSupply"]').click()
    req = IllRequest.objects.get(pk=journeys["sent"])
    assert req.state == "ExpectToSupply" and req.events.get(action="ExpectToSupply").note == "Checking the shelf."
    assert page.locator("ul.messages li.error").count() == 0
    context.close()
