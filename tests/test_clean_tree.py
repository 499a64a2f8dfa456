"""The tree engine: clean_tree on a parsed Document, the breaker's snapshot, the
selector prefilter and the compiled text rules (which must never change a decision)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests import corpus
from tests.test_clean_html import POST, SNIPPET_CASES, blocks_of
from wpmigrate.clean import clean_html, clean_tree, load_profiles
from wpmigrate.clean.decide import decide
from wpmigrate.clean.matcher import TextMatcher
from wpmigrate.clean.prefilter import DocumentTokens, SelectorIndex
from wpmigrate.clean.profiles import fold, parse_profile
from wpmigrate.clean.tree import leaf_blocks, link_chars, measure
from wpmigrate.document import Document, block_text, text_of

ALL = load_profiles(None)
SHORT = "<p>Kurzer Gruß aus dem Urlaub, morgen geht es weiter mit dem Blog.</p>"
BOX = (
    '<div class="saboxplugin-wrap"><div class="saboxplugin-desc"><p>Jana schreibt seit zehn Jahren über das '
    "Leben als Selbstständige, über Kunden, Aufträge und den ganz normalen Wahnsinn im Büro zu Hause.</p></div></div>"
)


# --- clean_tree ----------------------------------------------------------------------


def test_clean_tree_cleans_the_document_in_place():
    doc = Document.parse(POST + '<div class="sharedaddy"><h3>Teilen mit:</h3></div>')
    root = doc.root
    result = clean_tree(doc, ALL)
    assert doc.root is root and result.changed and result.html is None
    assert [r.rule for r in result.removed] == ["share.jetpack-sharedaddy"]
    assert blocks_of(doc.html()) == blocks_of(POST)


def test_clean_tree_narrows_a_page_to_its_article():
    page = (
        "<!DOCTYPE html><html><head><title>Wein</title></head><body><nav><p>Start · Blog · Kontakt</p></nav>"
        f'<article><div class="entry-content">{POST}<p>Teilen mit:</p></div></article></body></html>'
    )
    doc = Document.parse(page)
    result = clean_tree(doc, ALL)
    assert doc.root.get("class") == "entry-content"
    assert result.metadata["title"] == "Wein"
    assert [r.rule for r in result.removed] == ["share.label"]
    assert clean_html(page).html == doc.html()


def test_nothing_to_clean_leaves_the_tree_alone():
    doc = Document.parse(POST)
    before = etree.tostring(doc.root)
    result = clean_tree(doc, ALL)
    assert not result.changed and not result.decisions
    assert etree.tostring(doc.root) == before


def test_profiles_are_detected_from_the_tree_not_from_text_that_shows_markup():
    # Zeen applies only where the theme's markup is (class tipi-*, zeen-*); a post that
    # shows such markup as code, or a comment that holds it, is no Zeen page
    top_reviews = POST + "<h3>Top Reviews</h3>"
    for shown in ('<pre>&lt;div class="tipi-grid"&gt;</pre>', '<!-- <div class="tipi-grid"> -->'):
        assert not clean_html(shown + top_reviews).removed
    assert [r.rule for r in clean_html('<div class="tipi-grid">' + top_reviews + "</div>").removed] == [
        "zeen.widget-heading"
    ]


# --- the breaker's snapshot ------------------------------------------------------------


def _state(el: etree._Element) -> list:
    """Everything about a subtree: tags, attributes in order, text, tails, source lines."""
    return [
        (
            n.tag if isinstance(n.tag, str) else str(n.tag),
            list(n.attrib.items()) if isinstance(n.tag, str) else [],
            n.text,
            n.tail,
            n.sourceline,
        )
        for n in el.iter()
    ]


def test_breaker_rollback_restores_the_exact_tree():
    html = SHORT + "\n<ul><li>Share this:</li></ul>\n" + BOX + "\n<p>Teilen mit:</p>"
    doc = Document.parse(html)
    root = doc.root
    before, serialised = _state(root), etree.tostring(root)
    result = clean_tree(doc, ALL)
    assert result.needs_review and not result.removed and not result.changed
    assert {r.rule for r in result.flagged} >= {"breaker", "author.simple-author-box"}
    assert doc.root is root
    assert _state(root) == before and etree.tostring(root) == serialised
    # the restored tree is a tree like any other: cleaning it again decides the same
    again = clean_tree(doc, ALL)
    assert [(r.rule, r.action) for r in again.flagged] == [(r.rule, r.action) for r in result.flagged]


def test_breaker_rollback_on_a_page_keeps_the_page_around_the_article():
    page = (
        "<html><head><title>Gruß</title></head><body><header><p>Mein Blog</p></header>"
        f'<div class="entry-content">{SHORT}{BOX}</div><footer><p>Impressum</p></footer></body></html>'
    )
    doc = Document.parse(page)
    whole = etree.tostring(doc.page)
    result = clean_tree(doc, ALL)
    assert result.needs_review
    assert etree.tostring(doc.page) == whole
    assert doc.root.getparent() is doc.page.find("body")


# --- the prefilter never changes a decision ------------------------------------------------

_PARAGRAPHS = re.findall(r"<(?:p|h2|ul)>.*?</(?:p|h2|ul)>", POST, flags=re.S)
_LINES = [
    "Share this:",
    "Teilen mit:",
    "Related",
    "Gefällt mir:",
    "Inhaltsverzeichnis",
    "Top Reviews",
    "Zeen is a next generation WordPress theme.",
    "Wir senden keinen Spam!",
    "Leave a Reply",
]
_PIECES = [s for _, s in SNIPPET_CASES if len(s) < 6000] + _PARAGRAPHS + [f"<p>{line}</p>" for line in _LINES]
_WRAPPERS = [
    "{}",
    '<div class="entry-content">{}</div>',
    "<article>{}</article>",
    '<section id="content"><div>{}</div></section>',
    "<li>{}</li>",
    '<span class="x">{}</span>',
]


@st.composite
def documents(draw) -> str:
    pieces = draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6))
    wrapper = draw(st.sampled_from(_WRAPPERS))
    body = wrapper.format("\n".join(pieces))
    if draw(st.booleans()):
        return f"<html><head><title>t</title></head><body><header><p>Kopf</p></header>{body}</body></html>"
    return body


def _every_rule(index_size: int, xpaths: list[str], root: etree._Element) -> dict[int, set]:
    """What each selector matches under *root*, every one evaluated with its full XPath."""
    found = {}
    for i in range(index_size):
        matches = {el for el in etree.XPath(xpaths[i])(root) if isinstance(el.tag, str)}
        if matches:
            found[i] = matches
    return found


@corpus.skip_unless(corpus.BOILERPLATE)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_prefilter_never_changes_a_decision(html):
    doc = Document.parse(html)
    top = doc.page if doc.page is not None else doc.root
    tokens = DocumentTokens(top)
    for ps in (ALL, ALL.for_content("class='tipi-x codetipi-15zine-y'")):
        for root in {top, doc.root, *(el for el in top.iter("article", "div") if el.get("class"))}:
            selected = {i: set(els) for i, els in ps.selector_index.select(tokens, root)}
            assert selected == _every_rule(len(ps.selector_rules), [r.xpath for r in ps.selector_rules], root)
        roots = ps.content_root_index.candidates(tokens)
        for i, selector in enumerate(ps.content_roots):
            if i not in roots:
                assert not [el for el in top.cssselect(selector)]
        # the compiled text rules decide as every rule tried on every block would
        matcher = ps.text_matcher
        for leaf in leaf_blocks(doc.root):
            text = text_of(leaf)
            assert matcher.matching(text) == [r for r in ps.text_rules if r.matches(text)]


@corpus.skip_unless(corpus.BOILERPLATE)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    documents(),
    st.sampled_from(
        [
            "",
            "<br>",
            "<script>x = 1;</script>",
            "<!-- c -->",
            "<b> fett </b>\n",
            "<a href='#'>Link</a>",
            "<center>mitte</center>",
            "&nbsp;\u2003",
        ]
    ),
)
def test_fast_text_reads_as_text_of(html, extra):
    # block_text and measure read most elements with one libxml2 call; text_of walks
    doc = Document.parse(html.replace("</p>", extra + "</p>", 2))
    for el in (doc.page if doc.page is not None else doc.root).iter():
        if isinstance(el.tag, str):
            assert block_text(el) == text_of(el)
            assert measure(el) == (text_of(el), link_chars(el))


class _EveryRule:
    """A profile set's rules evaluated without the prefilter or the compiled matcher:
    every selector's full XPath, every text rule tried on every block."""

    def __init__(self, ps):
        self.selector_rules = ps.selector_rules
        self.text_matcher = self
        self._rules = ps.text_rules
        self.lead_in_rules = ps.lead_in_rules  # not prefiltered: tried on every block either way
        self.shape_rules = ps.shape_rules  # looked up by shape: no prefilter either
        self.selector_index = self
        self.run_matcher = _EachRule(ps.run_rules)

    def select(self, tokens, root):
        found = [(i, etree.XPath(rule.xpath)(root)) for i, rule in enumerate(self.selector_rules)]
        return [(i, els) for i, els in found if els]

    def matching(self, text):
        return [r for r in self._rules if r.matches(text)]


class _EachRule:
    """Text rules tried one by one (for the rules with ``after``)."""

    def __init__(self, rules):
        self.rules = rules

    def matching(self, text):
        return [r for r in self.rules if r.matches(text)]


@corpus.skip_unless(corpus.BOILERPLATE)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_decisions_with_the_prefilter_equal_decisions_of_every_rule(html):
    fast, slow = Document.parse(html), Document.parse(html)
    results = []
    for doc, make in ((fast, lambda ps: ps), (slow, _EveryRule)):
        top = doc.page if doc.page is not None else doc.root
        tokens = DocumentTokens(top)
        ps = ALL.for_tokens(tokens, lambda top=top: etree.tostring(top, encoding="unicode", method="html"))
        decisions, whole = decide(doc.root, make(ps), tokens, {})
        results.append(([(_path(d.element), d.rule.id, d.action) for d in decisions], whole.prose()))
    assert results[0] == results[1]


def _path(el) -> str:
    return el.getroottree().getpath(el)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ShareTilnmt:ZéÄßKſ .…!-relatdRLAD")), max_size=40))
def test_compiled_text_rules_match_as_each_rule_does(text):
    text = fold(text)
    matcher = ALL.text_matcher
    assert matcher.matching(text) == [r for r in ALL.text_rules if r.matches(text)]
    for line in _LINES:
        for variant in (line, line.upper(), line.lower(), line + "!", " " + line):
            variant = fold(variant)
            assert matcher.matching(variant) == [r for r in ALL.text_rules if r.matches(variant)]


def test_text_rules_that_cannot_join_an_alternation_are_tried_alone():
    ps = parse_profile(
        "[[rule]]\nid = 'p.backref'\nreason = 'r'\nzone = 'anywhere'\npattern = '(a+)b\\1'\n"
        "[[rule]]\nid = 'p.named'\nreason = 'r'\nzone = 'anywhere'\npattern = '(?P<value>x+)y'\naction = 'metadata'\nkey = 'k'\n"
        "[[rule]]\nid = 'p.verbose'\nreason = 'r'\nzone = 'anywhere'\npattern = '(?x) s h a r e  # a comment'\n"
        "[[rule]]\nid = 'p.short'\nreason = 'r'\nzone = 'anywhere'\npattern = '(?i)share'\nmax_length = 5\n"
        "[[rule]]\nid = 'p.exact'\nreason = 'r'\nzone = 'anywhere'\ntext = 'share'\n",
        "p.toml",
    )
    matcher = TextMatcher(ps.text_rules)
    assert [r.id for r in matcher.matching("aabaa")] == ["p.backref"]
    assert [r.id for r in matcher.matching("aaba")] == []
    assert [r.id for r in matcher.matching("xxy")] == ["p.named"]
    assert [r.id for r in matcher.matching("share")] == ["p.verbose", "p.short", "p.exact"]
    assert [r.id for r in matcher.matching("SHARE")] == ["p.short"]


def test_a_post_without_a_plugins_classes_never_evaluates_its_selectors():
    plain = Document.parse(POST)
    tokens = DocumentTokens(plain.root)
    ps = ALL.for_tokens(tokens, lambda: POST)
    assert ps.selector_index.candidates(tokens) == []
    shared = Document.parse(POST + '<div class="sharedaddy sd-sharing-enabled"><a href="#">Teilen</a></div>')
    tokens = DocumentTokens(shared.root)
    ps = ALL.for_tokens(tokens, lambda: "")
    assert [ps.selector_rules[i].id for i in ps.selector_index.candidates(tokens)] == ["share.jetpack-sharedaddy"]


def test_selector_alternatives_need_their_own_tokens():
    index = SelectorIndex(
        [
            ".hero-meta .entry-title",
            "div.shariff, ul.shariff-buttons",
            "form[action*='?na=s']",
            "p:not(.x)",
            "#modal.modal-wrap, #mob-menu-wrap",
        ]
    )
    doc = Document.parse('<div class="shariff-buttons"><p class="entry-title">t</p></div><form action="/?na=s"></form>')
    tokens = DocumentTokens(doc.root)
    # .hero-meta is missing; ul.shariff-buttons needs a <ul>; p:not(.x) needs only a <p>
    assert index.candidates(tokens) == [2, 3]
