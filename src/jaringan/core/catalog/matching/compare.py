"""Field-by-field comparison of two canonical records.

Each ``compare_<field>(a, b)`` returns a :class:`Comparison` — the field, a
verdict a cataloguer can read, and the points it adds to (or takes from) the
match score.  A field missing on either side is ``missing`` and scores 0: an
absent subtitle or ISBN is not a contradiction (a volume number or edition
statement on one side only is the exception: a set against its volume).
Every weight is a named constant below; ``decision.py`` adds the points,
applies the vetoes and the threshold.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz

from ..marc_format import carrier_from_extent
from ..record import CanonicalRecord
from ..text import ALL_STOP_WORDS
from ..text import normalise_for_match
from .citations import cut_short_authors, surnames_shared, title_after_names, title_edits, title_spilled, words_left_out
from .comparison import CONTRADICTED, MATCH, MISMATCH, MISSING, SIMILAR, WEAK, Comparison, per_pair
from .fields import pages_agree, publisher_initials, publisher_key
from .parts import ARTICLE, NUMBERS_CACHE_SIZE, compare_issue, compare_part
from .printed import (  # noqa: F401  (the weights are read here as the other comparators' are)
    EDITION_DIFFERENT,
    EDITION_NAMED_DIFFERENT,
    EDITION_ONE_SIDED,
    EDITION_SAME,
    EDITION_SAME_PRINTING,
    YEAR_APART_ONE,
    YEAR_DIFFERENT,
    YEAR_GUESSED,
    YEAR_SAME,
    YEAR_STATED,
    compare_edition,
)
from .printed import compare_year as compare_printed_year
from .names import SAME_NAME, citation_name_similarity, name_similarity, name_tokens, named_in_statement
from .titles import (
    RESPONSIBILITY_WORDS,
    after_preamble,
    title_after_words,
    title_contained,
    segment_letters_agree,
    title_run_together,
    title_verdict,
    title_words,
    typo_apart,
    without_responsibility,
)
from .venues import venue_named, venue_uncertain, venue_verdict

__all__ = [
    "COMPARATORS",
    "Comparison",
    "author_overlap",
    "compare_authors",
    "compare_container",
    "compare_doi",
    "compare_edition",
    "compare_first_author",
    "compare_format",
    "compare_isbn",
    "compare_issn",
    "compare_issue",
    "compare_language",
    "compare_lccn",
    "compare_oclc",
    "compare_pages",
    "compare_part",
    "compare_publisher",
    "compare_subtitle",
    "compare_title",
    "compare_year",
]


# Identifiers: strong but not absolute (multi-volume sets share ISBNs, bad ISBNs exist).
ISBN_SHARED = 60
#: A shared ISBN whose records disagree on year, volume or title (sets, reprints, reused ISBNs).
ISBN_SHARED_CONTRADICTED = 20
ISBN_DISJOINT = -15
LCCN_SAME, LCCN_DIFFERENT, LCCN_SHARED_CONTRADICTED = 40, -40, 10
OCLC_SAME, OCLC_DIFFERENT, OCLC_SHARED_CONTRADICTED = 50, -30, 10
ISSN_SAME, ISSN_DIFFERENT = 30, -30
#: A DOI names one article: shared is as strong as an ISBN (guarded the same way), different is strong against.
DOI_SAME, DOI_DIFFERENT, DOI_SHARED_CONTRADICTED = 60, -60, 20
# Title, word by word (see ``titles.py``): same words, typos only, one word more, different.
TITLE_EXACT, TITLE_SIMILAR, TITLE_WEAK, TITLE_DIFFERENT = 40, 25, 0, -60
TITLE_POINTS = {MATCH: TITLE_EXACT, SIMILAR: TITLE_SIMILAR, WEAK: TITLE_WEAK, MISMATCH: TITLE_DIFFERENT}
#: A book's title standing whole in the other's (one ends where the other goes on with its subtitle, "...",
#: or a statement of responsibility) is weak evidence for: catalogues transcribe more or less of a title page.
BOOK_TITLE_CONTAINED = 10
#: A record that gives nothing but its title (no author, year, publisher, extent or identifier: a stub)
#: can agree on nothing else: a title of this many significant words at least, word for word, counts more
#: (fewer, and a common title, "Pengantar ilmu perpustakaan", would fall to whichever of its editions came first).
TITLE_ALONE_WORDS, BOOK_TITLE_ALONE = 4, 10
#: Two articles' titles of this many words at least say more than a book's: papers seldom share a long
#: title, and citation lists garble the authors and venue more than the title.
ARTICLE_LONG_TITLE_WORDS, ARTICLE_LONG_TITLE = 5, 15
#: ...or of this many letters, when a citation database has run its words together or typed its authors
#: before it and its venue after it ("andj . widom . viewmaintenanceina warehousingenvironment", see
#: ``titles.segment_letters_agree``).
ARTICLE_LONG_TITLE_LETTERS = 30
#: ...and a title of this many words at most says less when either side names no author: columns and
#: notices ("Editor's notes", "Guest editorial", "Book reviews") recur in every issue of every journal.
ARTICLE_SHORT_TITLE_WORDS, ARTICLE_SHORT_TITLE = 3, -15
#: Two articles' titles of this many words at least, in the same order but for one word once citation damage
#: is undone ("approximate query processing / answering using wavelets"), are evidence for, short of the same
#: words: citation lists paraphrase a word of a title.  A short title with just one word more stays weak.
ARTICLE_ONE_WORD_OTHER_MIN_WORDS, ARTICLE_ONE_WORD_OTHER = 3, 30
#: A title of two articles with ``ARTICLE_LONG_TITLE_WORDS`` significant words at least standing in the
#: other's, in order and from its first word to its last, with up to this many significant words left out
#: of its middle, is the same evidence as one word apart: citation lists shorten a title that way
#: ("efficient [and extensible] algorithms for multi query optimization"); see ``citations.words_left_out``.
ARTICLE_WORDS_LEFT_OUT = 3
#: Two long titles one word apart (``ARTICLE_LONG_TITLE``) whose words need more edits than this to be put in
#: the other's order are another paper on the same subject, not a title with a word changed.
REORDERED_EDITS = 2
SUBTITLE_SAME, SUBTITLE_DIFFERENT = 10, -10
# Year and edition statement: see ``printed.py``.
# Format and language.
FORMAT_DIFFERENT = -100
#: Kinds of printed text a record's coding tells apart (leader 07: a monograph, a serial, a component
#: part): one title under two codings is the same text coded two ways (a monograph in a series coded as
#: the serial, an offprint coded as the article), unless the carriers differ.
TEXT_KINDS = frozenset({"book", "serial", "article", "thesis"})
FORMAT_TEXT_KIND_DIFFERENT = -20
#: ...but an article that names its journal against a book under its title is as often the paper and a book
#: grown out of it: it counts against more.  (An article that names none is a separately catalogued offprint.)
FORMAT_ARTICLE_IN_CONTAINER = -30
#: Printed music and printed text told apart by the leader alone (neither extent names a carrier, "1 score"):
#: a song book or a collection of pieces is coded as a score by one library and as a book by another; under
#: one title it counts against as much as a text coded as another kind of text.
PRINTED_CARRIERS = frozenset({"text", "score"})
LANGUAGE_DIFFERENT = -40
#: Languages coded apart under the same title words (see ``compare_language``).
LANGUAGE_CODED_APART = -10
# Page count: equal within a tolerance (``fields.pages_agree``).
PAGES_SAME, PAGES_DIFFERENT = 10, -20
# Authors, order-insensitive: share of the shorter list found in the longer.
#: None in common counts less for books, whose records name the translator, the editor or a pseudonym
#: at will, than for two articles, whose author lists are the paper's.
AUTHORS_ALL, AUTHORS_SOME, AUTHORS_NONE, AUTHORS_NONE_ARTICLES = 20, 10, -25, -30
AUTHORS_SOME_AT = 0.5
#: ...and none in common under one long title, word for word: a citation database's author cell garbled
#: beyond recognition (OCR damage "s bdn" for "s brin", a name written in the other order, the words of a
#: page's header "acms anthology" taken for names) more often than two papers share a long title.
AUTHORS_NONE_LONG_TITLE = -5
#: ...and none in common between two books when one record's author is named in the other's statement of
#: responsibility ("Hess, Gertrude" / "comp. by Gertrude F. Hess", "Melville, Lewis" / "Benjamin, Lewis Saul"
#: with "by Lewis Melville [pseud.]"): the catalogues chose whom to trace, not another book.
AUTHORS_IN_STATEMENT = 0
# Publisher, fuzzy on names without "Penerbit", "PT", "Press"...
PUBLISHER_SIMILAR_AT, PUBLISHER_SAME, PUBLISHER_DIFFERENT = 0.8, 10, -10
# Articles: the venue (journal, proceedings), full or abbreviated.  A different venue may be another
# publication of the paper (conference vs journal version), but citation lists also write an
# affiliation, a series or a truncated name where the venue should be: it counts against, and the
# year (on both sides) tells the versions apart.
CONTAINER_SAME, CONTAINER_ABBREVIATED, CONTAINER_DIFFERENT = 15, 10, -15
# The first author of two articles: papers keep their author order (citation lists now and then do not).
FIRST_AUTHOR_DIFFERENT = -10
#: Two articles of one long title (``ARTICLE_LONG_TITLE``) by the same authors, dated up to this many years
#: apart, are one paper cited by its versions: the report or preprint, the conference paper and the journal
#: paper that grew from it keep title and authors, and citation databases date the one they found.
ARTICLE_VERSIONS_YEARS = 5
#: ...their years apart then count this much against: weak, not the ``YEAR_DIFFERENT`` of a reprint.
YEAR_ARTICLE_VERSIONS = -10



def _shared(field: str, a: tuple | str | None, b: tuple | str | None, same: int, different: int) -> Comparison:
    if not a or not b:  # None, "" or ()
        return Comparison(field, MISSING, 0)
    if isinstance(a, tuple):
        shared = not set(a).isdisjoint(b) if len(a) > 1 or len(b) > 1 else a[0] == b[0]
    else:
        shared = a == b
    return Comparison(field, MATCH, same) if shared else Comparison(field, MISMATCH, different)


def _contradicted(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True when the records disagree on year, volume or title, whatever they share."""
    years_differ = a.year is not None and b.year is not None and a.year != b.year
    return years_differ or compare_part(a, b).points < 0 or compare_title(a, b).verdict == MISMATCH


def _guarded(comparison: Comparison, a: CanonicalRecord, b: CanonicalRecord, contradicted_points: int) -> Comparison:
    """A shared identifier counts little when year, volume or title contradict it.

    Volumes of a set share one ISBN (and copy-catalogued volumes one LCCN),
    reprints keep the ISBN with a new year, and some libraries reuse a wrong
    one on another book (``fixtures/evergreen/badisbns.xml``).
    """
    if comparison.verdict == MATCH and _contradicted(a, b):
        return Comparison(comparison.field, CONTRADICTED, contradicted_points)
    return comparison


def compare_isbn(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """A shared valid ISBN is strong evidence (guarded); disjoint ISBNs weak evidence against."""
    comparison = _shared("isbn", a.isbns, b.isbns, ISBN_SHARED, ISBN_DISJOINT)
    return _guarded(comparison, a, b, ISBN_SHARED_CONTRADICTED)


def compare_lccn(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """Library of Congress control numbers (guarded like the ISBN)."""
    comparison = _shared("lccn", a.lccn, b.lccn, LCCN_SAME, LCCN_DIFFERENT)
    return _guarded(comparison, a, b, LCCN_SHARED_CONTRADICTED)


def compare_oclc(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """OCLC numbers (035 "(OCoLC)…"), guarded like the ISBN."""
    comparison = _shared("oclc", a.oclc_numbers, b.oclc_numbers, OCLC_SAME, OCLC_DIFFERENT)
    return _guarded(comparison, a, b, OCLC_SHARED_CONTRADICTED)


def compare_issn(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """ISSNs, for serials."""
    return _shared("issn", a.issns, b.issns, ISSN_SAME, ISSN_DIFFERENT)


def compare_doi(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """DOIs (normalised, see ``record.normalise_doi``); a shared one is guarded like the ISBN."""
    comparison = _shared("doi", a.doi, b.doi, DOI_SAME, DOI_DIFFERENT)
    return _guarded(comparison, a, b, DOI_SHARED_CONTRADICTED)


def compare_container(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """The venue of two articles: same name, abbreviated ("J. Doc."), or a different journal; weak when
    either cell holds no comparable venue (a report number, an institution, a name cut short)."""
    if not a.container or not b.container:
        return Comparison("container", MISSING, 0)
    verdict = venue_verdict(a.container, b.container)
    if verdict == MISMATCH and (venue_uncertain(a.container) or venue_uncertain(b.container)
                                or not (venue_named(a.container) and venue_named(b.container))
                                or title_spilled(a.container, b.title) or title_spilled(b.container, a.title)):
        # A report number, an institution or a cut-off name where the venue should be; or a cell that names
        # no journal or proceedings (a place, a date, a topic), or the end of the other's title: nothing to contradict.
        verdict = WEAK
    points = {MATCH: CONTAINER_SAME, SIMILAR: CONTAINER_ABBREVIATED, WEAK: 0}.get(verdict, CONTAINER_DIFFERENT)
    return Comparison("container", verdict, points)


#: Significant words a title needs for titles apart only in their small words to be alike.
STOP_WORDS_APART_WORDS = 2


def _stop_words_apart(x: list[str], y: list[str]) -> bool:
    """True when two titles have the same significant words in the same order (two at least) and differ
    only in their small words ("The state of Burma" / "The state in Burma", "Expiring data in a warehouse"
    / "... from the warehouse"): a transcription's slip, not another book."""
    if x == y:
        return False
    sx = [w for w in x if w not in ALL_STOP_WORDS]
    return len(sx) >= STOP_WORDS_APART_WORDS and sx == [w for w in y if w not in ALL_STOP_WORDS]


@per_pair
def compare_title(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """Title word by word; the best of title vs title, full vs full, and across.

    The cross comparisons let "Title : subtitle" typed into the title alone
    (as Dublin Core sends it) meet a record that keeps them apart.  Titles
    that differ only in where words are split are ``similar``; a title that
    stands whole in the other, which goes on with more (a subtitle after a
    comma, a statement of responsibility, a note), is ``weak`` evidence: it
    neither adds nor takes points.
    """
    names = frozenset(t for name in a.authors + b.authors for t in name_tokens(name))
    ta, tb = without_responsibility(title_words(a.title), names), without_responsibility(title_words(b.title), names)
    # Title and subtitle read as one ("The Bernstorff papers : the life of ..."): the subtitle keeps its article.
    fa = without_responsibility(title_words(f"{a.title} {a.subtitle}"), names) if a.subtitle else ta
    fb = without_responsibility(title_words(f"{b.title} {b.subtitle}"), names) if b.subtitle else tb
    best = title_verdict(ta, tb)
    for x, y in ((fa, fb), (ta, fb), (fa, tb)):
        if best == MATCH:
            break
        if x is not ta or y is not tb:
            best = max(best, title_verdict(x, y), key=TITLE_POINTS.__getitem__)
    if best in (MISMATCH, WEAK) and (_part_as_title(a, b) or _part_as_title(b, a)):
        best = MATCH
    elif best in (MISMATCH, WEAK) and (_words_left_out(a.title, fb) or _words_left_out(b.title, fa)):
        best = SIMILAR
    if best == MISMATCH:
        if title_run_together(fa, fb) or title_run_together(ta, tb) or _stop_words_apart(ta, tb) \
                or _stop_words_apart(fa, fb):
            best = SIMILAR
        elif any(title_contained(x, y) for x, y in ((ta, tb), (fa, fb), (ta, fb), (fa, tb))):
            best = WEAK
    books = a.format != ARTICLE or b.format != ARTICLE
    if books and best in (MISMATCH, WEAK) and _statements_agree(a, b, (ta, tb, fa, fb), names):
        best = SIMILAR
    elif books and best in (MISMATCH, WEAK) and _authors_name_apart(a, b, (ta, tb, fa, fb)):
        best = SIMILAR
    if books:
        points = TITLE_POINTS[best] + (BOOK_TITLE_CONTAINED if best == WEAK else 0)
        if best == MATCH and (_title_alone(a) or _title_alone(b)) \
                and sum(w not in ALL_STOP_WORDS for w in ta) >= TITLE_ALONE_WORDS:
            points += BOOK_TITLE_ALONE
        return Comparison("title", best, points)
    if best == SIMILAR and ("".join(ta) == "".join(tb) or "".join(fa) == "".join(fb)):
        best = MATCH  # the same letters, words run together by a citation database ("onviews andxml")
    short = max(len(fa), len(fb)) <= ARTICLE_SHORT_TITLE_WORDS
    if short and best in (MATCH, SIMILAR) and not (a.authors and b.authors):
        return Comparison("title", best, TITLE_POINTS[best] + ARTICLE_SHORT_TITLE)
    found = _article_title(a, b, best, (ta, tb, fa, fb), names)
    if found.points < TITLE_SIMILAR + ARTICLE_LONG_TITLE and best in (MISMATCH, WEAK, SIMILAR):
        letters = segment_letters_agree(a.title, b.title)
        if letters:  # the title alone in the other's citation text, or its words run together: long by its letters
            points = TITLE_SIMILAR + (ARTICLE_LONG_TITLE if letters >= ARTICLE_LONG_TITLE_LETTERS else 0)
            if points > found.points:
                found = Comparison("title", SIMILAR, points)
    return _citation_title(a, b, found, names)


def _persons(record: CanonicalRecord) -> list[tuple[str, ...]]:
    """The name words of each person among a record's authors ("Vanderbilt, Amy", "Galen"), surname first;
    corporate bodies ("United States. Congress", "Bausch & Lomb") left out: their words are a title's words as
    often as a name."""
    return [name_tokens(n) for n in record.authors
            if "," in n and "." not in n.partition(",")[0] or n.strip().isalpha()]


def _without_persons_name(words: tuple[str, ...], persons: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The title words without an author's name before them, possessive or not ("Amy Vanderbilt's complete
    cookbook", "Galen On the natural faculties"), or after a closing "of" ("The works of Samuel Richardson");
    None when no author's surname stands there."""
    for person in persons:
        if not person:
            continue
        own = frozenset(person) | frozenset(f"{w}s" for w in person)
        at = 0
        while at < len(words) - 1 and words[at] in own:
            at += 1
        if at and person[0] in (words[at - 1], words[at - 1][:-1]):
            return words[at:]
        end = len(words)
        while end > 1 and words[end - 1] in person:
            end -= 1
        if end < len(words) and person[0] in words[end:] and end > 1 and words[end - 1] == "of":
            return words[:end - 1]
    return None


def _authors_name_apart(a: CanonicalRecord, b: CanonicalRecord, words: tuple) -> bool:
    """True when one book's title is the other's with its author's name put to it ("Amy Vanderbilt's complete
    cookbook" / "Complete cookbook", "The works of Samuel Richardson" / "Works"): a title page and a cover, or
    a cataloguer's choice; the name must be an author's of the record that carries it."""
    ta, tb, fa, fb = words
    for one, mine, other in ((a, (ta, fa), (tb, fb)), (b, (tb, fb), (ta, fa))):
        persons = _persons(one)
        if not persons:
            continue
        for x in mine:
            rest = _without_persons_name(x, persons)
            if rest and any(title_verdict(rest, y) in (MATCH, SIMILAR) for y in other):
                return True
    return False


#: The mark of words left out of a transcribed title ("A practical Kurdish grammar ... and vocabulary").
_OMISSION = re.compile(r"\s*(?:\.\.\.|\u2026)\s*")


def _words_left_out(title: str, other: tuple[str, ...]) -> bool:
    """True when ``title`` marks words left out ("...") between its words, and the ``other`` title (as
    ``title_words``) begins with the words before the mark, ends with those after it, and holds the rest
    in order: the cataloguer shortened the same title."""
    pieces = [title_words(p) for p in _OMISSION.split(title or "")]
    if len(pieces) < 2 or not pieces[0] or not pieces[-1]:
        return False
    if other[: len(pieces[0])] != pieces[0] or other[len(other) - len(pieces[-1]):] != pieces[-1]:
        return False
    at = len(pieces[0])
    for piece in pieces[1:-1]:
        found = next((n for n in range(at, len(other) - len(piece) + 1) if other[n: n + len(piece)] == piece), None)
        if found is None:
            return False
        at = found + len(piece)
    return at <= len(other) - len(pieces[-1]) and len(other) > sum(map(len, pieces))


def _statements_agree(a: CanonicalRecord, b: CanonicalRecord, words: tuple, names: frozenset[str]) -> bool:
    """True when two books' title statements (title, subtitle and statement of responsibility read as one)
    are the same words divided otherwise, or differ by one word in a long statement.

    Catalogues of one book draw the lines inside a title page differently: an older record runs title,
    other title and statement of responsibility together in its title ("The history of King Philip's War.
    ... With an introduction and notes by Henry Martyn Dexter"), another codes the rest of a title as the
    statement of responsibility ("Acquisition of Oregon" / "and the long suppressed evidence about Marcus
    Whitman"), and a long transcription drops or adds a word ("Connery, Jr., late a representative").  So
    each side's title, title and subtitle, and title and subtitle with what its statement of
    responsibility holds besides the responsibility (``_other_words``) meet each of the other's; a
    statement of ``STATEMENT_LONG_WORDS`` words or more with one word more than the other agrees; and a
    title shortened with "..." is looked for in the other's whole statement."""
    ta, tb, fa, fb = words
    sa, sb = fa + _other_words(a, names), fb + _other_words(b, names)
    compared = ((ta, tb), (fa, fb), (ta, fb), (fa, tb))  # by `compare_title` already: only one word more is new
    if any(_one_word_more(x, y) for x, y in compared):
        return True
    for x, y in ((sa, tb), (sa, fb), (sa, sb), (ta, sb), (fa, sb)):
        if title_verdict(x, y) in (MATCH, SIMILAR) or _one_word_more(x, y):
            return True
    return _words_left_out(a.title, _whole_statement(b)) or _words_left_out(b.title, _whole_statement(a))


#: A title statement of this many words or more that has one word the other lacks is the same statement:
#: a transcription's "Jr.", a "copy" or an "and" more; in a short title one word more is another book.
STATEMENT_LONG_WORDS = 10


def _whole_statement(record: CanonicalRecord) -> tuple[str, ...]:
    """Title, subtitle and statement of responsibility as one run of title words."""
    return title_words(" ".join(p for p in (record.title, record.subtitle, record.responsibility) if p))


def _other_words(record: CanonicalRecord, names: frozenset[str]) -> tuple[str, ...]:
    """The words of a record's statement of responsibility that are not one: the rest of a title coded
    there ("and the long suppressed evidence about ..."), up to an author's "by ..."; nothing when the
    statement begins as one ("by ...", "oleh ...")."""
    words = title_words(record.responsibility) if record.responsibility else ()
    if not words or words[0] in RESPONSIBILITY_WORDS:
        return ()
    return without_responsibility(words, names)


def _one_word_more(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """True when the longer of two long title statements is the shorter with one word put in."""
    short, long = (x, y) if len(x) < len(y) else (y, x)
    if len(short) < STATEMENT_LONG_WORDS or len(long) != len(short) + 1:
        return False
    return not Counter(short) - Counter(long)


def _part_as_title(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True when ``a`` is catalogued under the title of its series or set with its own title as the part
    ("EPA Office of Compliance Sector Notebook Project. Profile of the metal casting industry"), and ``b``,
    which has no part, under that own title ("Profile of the metal casting industry", the series in its
    490): the part (with ``a``'s subtitle or without) is ``b``'s title (or title and subtitle), and ``b``
    names no series or names ``a``'s title among them."""
    if not a.part or b.part:
        return False
    part = title_words(a.part)
    tb = title_words(b.title)
    fb = title_words(f"{b.title} {b.subtitle}") if b.subtitle else tb
    fa = title_words(f"{a.part} {a.subtitle}") if a.subtitle else part
    if not any(title_verdict(x, y) in (MATCH, SIMILAR) for x in (part, fa) for y in (tb, fb)):
        return False
    ta = title_words(a.title)
    return not b.series or any(
        title_verdict(ta, title_words(s.title)) in (MATCH, SIMILAR) or title_contained(ta, title_words(s.title))
        for s in b.series
    )


def _long_titles(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True when both titles have ``ARTICLE_LONG_TITLE_WORDS`` words at least."""
    return min(len(title_words(a.title)), len(title_words(b.title))) >= ARTICLE_LONG_TITLE_WORDS


def _citation_title(a: CanonicalRecord, b: CanonicalRecord, found: Comparison, names: frozenset[str]) -> Comparison:
    """Two articles' titles after what citation databases do to them (``citations.title_edits``: a cell cut
    at a fixed length, ligatures lost, words abbreviated, split or joined): the same words in order, or one
    word apart in a title of ``ARTICLE_ONE_WORD_OTHER_MIN_WORDS`` words at least whose words alone differ by
    more than one word more (that stays ``weak``), or a long title with up to ``ARTICLE_WORDS_LEFT_OUT``
    words of its middle left out."""
    long = _long_titles(a, b)
    venue = frozenset(normalise_for_match(f"{a.container or ''} {b.container or ''}").split())
    if found.verdict != MATCH and title_after_names(a.title, b.title, names, venue):
        return Comparison("title", MATCH, TITLE_EXACT + (ARTICLE_LONG_TITLE if long else 0))
    if found.points >= TITLE_SIMILAR:
        return found
    edits = title_edits(a.title, b.title, ARTICLE_ONE_WORD_OTHER_MIN_WORDS, names)
    if edits == 0:
        return Comparison("title", SIMILAR, TITLE_SIMILAR + (ARTICLE_LONG_TITLE if long else 0))
    if edits == 1 and found.verdict == MISMATCH \
            and not title_after_words(title_words(a.title), title_words(b.title), names):
        return Comparison("title", SIMILAR, ARTICLE_ONE_WORD_OTHER)  # not "a survey of" the other's title
    left_out = words_left_out(a.title, b.title, ARTICLE_LONG_TITLE_WORDS)
    if left_out is not None and left_out <= ARTICLE_WORDS_LEFT_OUT:
        return Comparison("title", SIMILAR, ARTICLE_ONE_WORD_OTHER)  # words of the middle left out
    return found


def _title_alone(record: CanonicalRecord) -> bool:
    """True when a record gives its title and nothing to compare it by besides."""
    return not (record.authors or record.year or record.publisher or record.extent or record.pages
                or record.isbns or record.lccn or record.oclc_numbers)


def _article_title(a: CanonicalRecord, b: CanonicalRecord, best: str, words: tuple, names: frozenset[str]) -> Comparison:
    """Two articles' titles, word by word: a long title says more, and may stand after a preamble or be cut short."""
    ta, tb, fa, fb = words
    if min(len(fa), len(fb)) < ARTICLE_LONG_TITLE_WORDS:
        return Comparison("title", best, TITLE_POINTS[best])
    if best in (MISMATCH, WEAK) and _same_after_preamble(a.title, b.title):
        best = SIMILAR  # a citation's authors or year, or a system's name, typed before one title
    if best == WEAK and not any(title_after_words(x, y, names) for x, y in ((ta, tb), (fa, fb))) \
            and not _reordered(a, b, (ta, tb, fa, fb), names):
        best = SIMILAR  # a long article title cut short or run on with a note: still the same words, in order
    return Comparison("title", best, TITLE_POINTS[best] + (ARTICLE_LONG_TITLE if best in (MATCH, SIMILAR) else 0))


def _reordered(a: CanonicalRecord, b: CanonicalRecord, words: tuple, names: frozenset[str]) -> bool:
    """True when two titles of as many words, one word apart, have their words in another order: "banks :
    browsing and keyword searching in ..." / "keyword searching and browsing in ... using banks" (a demo and
    its paper), not one title with a word changed."""
    ta, tb, fa, fb = words
    if len(ta) != len(tb) and len(fa) != len(fb):
        return False
    return (title_edits(a.title, b.title, ARTICLE_ONE_WORD_OTHER_MIN_WORDS, names) or 0) > REORDERED_EDITS


def _same_after_preamble(x: str, y: str) -> bool:
    """True when a long title stands whole after the preamble of the other (``after_preamble``), or the
    two agree after both preambles."""
    px, py = after_preamble(x, ARTICLE_LONG_TITLE_WORDS), after_preamble(y, ARTICLE_LONG_TITLE_WORDS)
    wx, wy = title_words(x), title_words(y)
    for one, other in ((px, wy), (wx, py), (px, py)):
        if one and other and title_verdict(one, other) in (MATCH, SIMILAR):
            return True
    return False


def compare_subtitle(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """Subtitles count only when both records have one; compared like titles.  One standing whole at the
    start of the other ("report to the Congress" / "report to the Congress on the ..."), or the same words
    divided otherwise between title and subtitle ("Earth, sea and sky : or, Marvels ..." / "Earth, sea and
    sky or marvels ... : Containing ..."), is weak: catalogues transcribe more or less of a title page."""
    sa, sb = title_words(a.subtitle), title_words(b.subtitle)
    if not sa or not sb:
        return Comparison("subtitle", MISSING, 0)
    verdict = title_verdict(sa, sb)
    if verdict in (MATCH, SIMILAR):
        return Comparison("subtitle", verdict, SUBTITLE_SAME)
    if verdict == WEAK or title_contained(sa, sb) or _divided_otherwise(a, b):
        return Comparison("subtitle", WEAK, 0)
    return Comparison("subtitle", MISMATCH, SUBTITLE_DIFFERENT)


def _divided_otherwise(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True when title and subtitle read as one agree, or one stands whole in the other."""
    fa, fb = title_words(f"{a.title} {a.subtitle}"), title_words(f"{b.title} {b.subtitle}")
    return title_verdict(fa, fb) in (MATCH, SIMILAR) or title_contained(fa, fb)


def compare_format(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """A book and a video of one title, or a score and a recording, are different manifestations."""
    carriers_differ = a.carrier is not None and b.carrier is not None and a.carrier != b.carrier
    if a.format == b.format and not carriers_differ:
        return Comparison("format", MATCH, 0)
    if not carriers_differ and {a.format, b.format} <= TEXT_KINDS and compare_title(a, b).verdict == MATCH:
        in_container = any(r.format == ARTICLE and r.container for r in (a, b))
        return Comparison("format", WEAK, FORMAT_ARTICLE_IN_CONTAINER if in_container else FORMAT_TEXT_KIND_DIFFERENT)
    if _printed_coded_apart(a, b) and compare_title(a, b).verdict == MATCH:
        return Comparison("format", WEAK, FORMAT_TEXT_KIND_DIFFERENT)
    return Comparison("format", MISMATCH, FORMAT_DIFFERENT)


def _printed_coded_apart(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True when one record is printed music and the other printed text by their leaders only."""
    return {a.carrier, b.carrier} == PRINTED_CARRIERS and {a.format, b.format} == {"book", "music"} \
        and carrier_from_extent(a.extent) is None and carrier_from_extent(b.extent) is None


def compare_language(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """A translation is a different edition."""
    if not a.language or not b.language:
        return Comparison("language", MISSING, 0)
    if a.language == b.language:
        return Comparison("language", MATCH, 0)
    if title_words(a.title) == title_words(b.title) or compare_title(a, b).verdict in (MATCH, SIMILAR) \
            or _parallel_title(a, b) or _parallel_title(b, a):
        # A translation has its title translated; the same title in two languages is coded apart (a text
        # with notes in English, a bilingual edition, a title kept in the original language), and so is
        # a text under its original title with the other's title as its parallel title ("Pindarou
        # Epinikoi Nemeonikais : The Nemean odes of Pindar" / "The Nemean odes of Pindar").
        return Comparison("language", WEAK, LANGUAGE_CODED_APART)
    return Comparison("language", MISMATCH, LANGUAGE_DIFFERENT)


def _parallel_title(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """True when ``a``'s subtitle is ``b``'s title word for word (``a`` gives it as a parallel title)."""
    return bool(a.subtitle) and title_verdict(title_words(a.subtitle), title_words(b.title)) in (MATCH, SIMILAR)


def compare_pages(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """Page counts equal within a tolerance (unnumbered preliminaries, plates)."""
    agree = pages_agree(a, b)
    if agree is None:
        return Comparison("pages", MISSING, 0)
    if agree:
        return Comparison("pages", MATCH, PAGES_SAME)
    return Comparison("pages", MISMATCH, PAGES_DIFFERENT)


@lru_cache(maxsize=NUMBERS_CACHE_SIZE)
def author_overlap(a: tuple[str, ...], b: tuple[str, ...], citations: bool = False) -> float:
    """Share (0..1) of the shorter author list that has a same-name partner in the other (cached: in
    a large network each library's copy meets the same candidates' authors); ``citations``: names
    as citation databases garble them (``citation_name_similarity``)."""
    similarity = citation_name_similarity if citations else name_similarity
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    unused = list(long)
    found = 0
    for name in short:
        scored = [(similarity(name, other), other) for other in unused]
        score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        if best is not None and score >= SAME_NAME:
            unused.remove(best)
            found += 1
    return found / len(short) if short else 0.0


def compare_authors(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """Authors order-insensitively, "Basuki, Sulistyo" = "Sulistyo Basuki"."""
    if not a.authors or not b.authors:
        return Comparison("authors", MISSING, 0)
    articles = a.format == ARTICLE == b.format
    if articles:  # a citation's author cell cut short ends in a lone initial: left out
        overlap = author_overlap(cut_short_authors(a.authors), cut_short_authors(b.authors), True)
    else:
        overlap = author_overlap(a.authors, b.authors, False)
    if overlap >= 1:
        return Comparison("authors", MATCH, AUTHORS_ALL)
    if overlap >= AUTHORS_SOME_AT or articles and surnames_shared(a.authors, b.authors) >= AUTHORS_SOME_AT:
        return Comparison("authors", SIMILAR, AUTHORS_SOME)  # (for citations: the surnames, initials moved)
    if a.format != ARTICLE or b.format != ARTICLE:
        if named_in_statement(a.authors, b.responsibility) or named_in_statement(b.authors, a.responsibility):
            return Comparison("authors", WEAK, AUTHORS_IN_STATEMENT)
        if len(a.authors) == len(b.authors) == 1 and _body_within(a.authors[0], b.authors[0]):
            return Comparison("authors", SIMILAR, AUTHORS_SOME)
        return Comparison("authors", MISMATCH, AUTHORS_NONE)
    if compare_title(a, b).points >= TITLE_EXACT + ARTICLE_LONG_TITLE:
        return Comparison("authors", WEAK, AUTHORS_NONE_LONG_TITLE)
    return Comparison("authors", MISMATCH, AUTHORS_NONE_ARTICLES)


#: A corporate body's name of this many significant words at least, standing whole in another name
#: ("International Labour Office" / "International labor office, Geneva"), is the same body: when each
#: record names just that one author (a body sharing a longer list with others is another kind: the
#: same survey's many reports by other people).
BODY_WITHIN_WORDS = 3


def _body_within(x: str, y: str) -> bool:
    """True when every significant word of the shorter of two names (``BODY_WITHIN_WORDS`` at least) is
    in the longer, typos allowed: one corporate body named with and without its seat or a higher body
    ("Coastal Engineering Research Center (U.S.)").  Two persons' names never get here: they would have
    agreed as names first."""
    wx = [w for w in normalise_for_match(x).split() if w not in ALL_STOP_WORDS and not w.isdigit()]
    wy = [w for w in normalise_for_match(y).split() if w not in ALL_STOP_WORDS and not w.isdigit()]
    short, long = (wx, wy) if len(wx) <= len(wy) else (wy, wx)
    if len(short) < BODY_WITHIN_WORDS:
        return False
    return all(w in long or any(typo_apart(w, other) for other in long) for w in short)


def compare_first_author(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """For two articles, the first-named authors must be one person (the author lists are compared apart)."""
    if a.format != ARTICLE or b.format != ARTICLE or not a.authors or not b.authors:
        return Comparison("first author", MISSING, 0)
    if citation_name_similarity(a.authors[0], b.authors[0]) >= SAME_NAME:
        return Comparison("first author", MATCH, 0)
    if author_overlap(cut_short_authors(a.authors), cut_short_authors(b.authors), True) < AUTHORS_SOME_AT:
        return Comparison("first author", MISMATCH, 0)  # counted once, by the authors' comparison
    return Comparison("first author", MISMATCH, FIRST_AUTHOR_DIFFERENT)


def compare_year(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """The year (``printed.compare_year``); for two articles of one long title by the same authors dated
    up to ``ARTICLE_VERSIONS_YEARS`` apart, weak: versions of one paper.  A short title ("Book review
    column", "Industry perspectives") is a column that recurs every year under the same editor."""
    found = compare_printed_year(a, b)
    if found.verdict != MISMATCH or a.format != ARTICLE or b.format != ARTICLE \
            or abs(a.year - b.year) > ARTICLE_VERSIONS_YEARS or not a.authors or not b.authors:
        return found
    if compare_title(a, b).points < TITLE_SIMILAR + ARTICLE_LONG_TITLE or not _long_titles(a, b) \
            or author_overlap(cut_short_authors(a.authors), cut_short_authors(b.authors), True) < 1:
        return found
    return Comparison("year", WEAK, YEAR_ARTICLE_VERSIONS)


def compare_publisher(a: CanonicalRecord, b: CanonicalRecord) -> Comparison:
    """Publishers fuzzily: "Penerbit Buku Kompas" = "Buku Kompas"."""
    pa, pb = publisher_key(a.publisher), publisher_key(b.publisher)
    if not pa or not pb:
        return Comparison("publisher", MISSING, 0)
    if fuzz.token_set_ratio(pa, pb) / 100 >= PUBLISHER_SIMILAR_AT:
        return Comparison("publisher", MATCH, PUBLISHER_SAME)
    if publisher_initials(pa, pb):  # "G.P.O." / "Govt. Print. Off.", "ASME" / "American Society of ..."
        return Comparison("publisher", SIMILAR, PUBLISHER_SAME)
    return Comparison("publisher", MISMATCH, PUBLISHER_DIFFERENT)


#: Every comparator, identifiers first, in the order a cataloguer reads them.
COMPARATORS = (
    compare_isbn,
    compare_lccn,
    compare_oclc,
    compare_issn,
    compare_doi,
    compare_title,
    compare_subtitle,
    compare_part,
    compare_authors,
    compare_first_author,
    compare_container,
    compare_issue,
    compare_publisher,
    compare_year,
    compare_edition,
    compare_pages,
    compare_format,
    compare_language,
)
