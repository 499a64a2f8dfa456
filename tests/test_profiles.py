"""Rule profiles: the schema, validation with file and key in every error, bundled profiles, detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import corpus
from wpmigrate.clean import (
    BlockRule,
    ProfileSet,
    SelectorRule,
    ShortcodeRule,
    TextRule,
    bundled_profile_names,
    clean_html,
    describe_profiles,
    load_profiles,
)
from wpmigrate.clean.profiles import parse_profile
from wpmigrate.errors import ProfileError, WpmigrateError

BUNDLED = [
    "15zine",
    "ads",
    "author-boxes",
    "forms",
    "newsletters",
    "post-widgets",
    "related-posts",
    "share-buttons",
    "table-of-contents",
    "wordpress",
    "zeen",
]


def write(tmp_path: Path, text: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problem_of(tmp_path: Path, text: str) -> ProfileError:
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as info:
        load_profiles([path])
    err = info.value
    assert isinstance(err, WpmigrateError)
    assert str(path) in str(err)
    return err


# --- bundled profiles ---------------------------------------------------------------


def test_bundled_profiles_load_and_validate():
    ps = load_profiles()
    assert isinstance(ps, ProfileSet)
    assert list(ps.names) == BUNDLED == bundled_profile_names()
    ids = [r.id for r in ps.rules]
    assert len(ids) == len(set(ids))
    for rule in ps.rules:
        assert rule.id.split(".")[0] and rule.reason.strip()
        assert rule.profile in BUNDLED


def test_rules_are_grouped_by_kind():
    ps = load_profiles()
    assert all(isinstance(r, SelectorRule) and r.xpath for r in ps.selector_rules)
    assert {"mailpoet/subscription-form-block", "jetpack/subscriptions", "mailchimp-for-wp/form"} <= {
        r.name for r in ps.block_rules if isinstance(r, BlockRule)
    }
    assert {"mc4wp_form", "jetpack_subscription_form", "mailpoet_form", "ez-toc"} <= {
        r.name for r in ps.shortcode_rules if isinstance(r, ShortcodeRule)
    }
    assert all(isinstance(r, TextRule) and r.zone in ("head", "tail", "anywhere") for r in ps.text_rules)
    assert ps.content_roots[:0] == () and ".entry-content" in ps.content_roots


@pytest.mark.parametrize(
    "line, rule_id",
    [
        ("Teilen mit:", "share.label"),
        ("Share this:", "share.label"),
        ("Gefällt mir:", "share.like-label"),
        ("Like this:", "share.like-label"),
        ("Ähnliche Beiträge", "related.heading"),
        ("Related", "related.heading"),
        ("Zeen is a next generation WordPress theme. It’s powerful, beautifully designed.", "zeen.promo-text"),
        ("Top Reviews", "zeen.widget-heading"),
        ("Inhaltsverzeichnis", "toc.heading"),
        ("Newsletter abonnieren", "newsletters.subscribe-heading"),
        ("Leave this field empty if you're human:", "newsletters.honeypot-label"),
    ],
)
def test_bundled_text_rules_match_whole_lines(line, rule_id):
    ps = load_profiles()
    assert rule_id in [r.id for r in ps.text_rules if r.matches(line)]
    # anchored: the same words inside running text do not match
    sentence = f"Yesterday I wrote {line} on the blackboard for the whole class to see."
    assert not [r.id for r in ps.text_rules if r.matches(sentence)]


def test_run_rules_only_act_after_their_label():
    ps = load_profiles(["share-buttons"])
    names = [r for r in ps.run_rules if r.id == "share.button-name"]
    assert names and names[0].after == ("share.label", "share.label-head", "share.click-to-share")
    assert (
        names[0].matches("Klicken zum Ausdrucken") and names[0].matches("Reddit (12)") and names[0].matches("Google+")
    )
    assert not names[0].matches("Pinterest is where my recipes went")
    # not a plain text rule: the zone alone never removes a network's name
    assert "share.button-name" not in [r.id for r in ps.text_rules]
    assert not ps.match_blocks(["A paragraph of the article that is long enough to be prose here.", "Pinterest"])


def test_match_blocks_honours_zones():
    ps = load_profiles(["related-posts", "share-buttons", "table-of-contents"])
    blocks = [
        "Inhaltsverzeichnis",
        "Related",
        "This is the first real paragraph of the article, long enough to be prose.",
        "Related",
        "And this is the last real paragraph of the article, also long enough.",
        "Share this:",
        "Related",
    ]
    decided = ps.match_blocks(blocks)
    # "Related" before the prose is not in the tail zone; in the middle neither
    assert [(i, r.id) for i, r in decided] == [(0, "toc.heading"), (5, "share.label"), (6, "related.heading")]


def test_detection():
    ps = load_profiles()
    page = corpus.read_text(corpus.PAGES / "zeen-silkes-weinkeller.de.html")
    assert "zeen" in ps.detect(page)
    assert "15zine" not in ps.detect(page)
    pink = corpus.read_text(corpus.PAGES / "15zine-pinkstinks.de.html")
    assert "15zine" in ps.detect(pink)
    assert "zeen" in ps.detect("Top Reviews\nZeen is a next generation WordPress theme. It’s powerful.")
    assert ps.detect("<p>Ein ganz normaler Beitrag.</p>") == []
    applied = ps.for_content("<p>Ein ganz normaler Beitrag.</p>").names
    assert "zeen" not in applied and "15zine" not in applied and "newsletters" in applied


# --- selection ----------------------------------------------------------------------


def test_selection_by_name_path_and_none(tmp_path):
    path = write(tmp_path, '[[rule]]\nid = "site.x"\nreason = "r"\nselector = ".x"\n')
    assert load_profiles(["zeen", "newsletters"]).names == ("newsletters", "zeen")
    assert load_profiles([path]).names == (*BUNDLED, "site")
    assert load_profiles(["none", path]).names == ("site",)
    assert load_profiles(["zeen", str(path)]).names == ("zeen", "site")
    assert load_profiles([]).names == ()


def test_unknown_profile_name_is_an_error():
    with pytest.raises(ProfileError, match="no bundled profile.*zeen"):
        load_profiles(["zen"])


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ProfileError, match="cannot read profile"):
        load_profiles([tmp_path / "nope.toml"])


def test_same_rule_id_in_two_files_is_an_error(tmp_path):
    a = write(tmp_path, '[[rule]]\nid = "x.one"\nreason = "r"\nselector = ".a"\n', "a.toml")
    b = write(tmp_path, '[[rule]]\nid = "x.one"\nreason = "r"\nselector = ".b"\n', "b.toml")
    with pytest.raises(ProfileError, match="already defined"):
        load_profiles(["none", a, b])


# --- validation: each error names the file and the key ----------------------------------


def test_unknown_top_level_key(tmp_path):
    err = problem_of(tmp_path, 'colour = "red"\n')
    assert "colour" in str(err) and "unknown key" in str(err)


def test_unknown_rule_key(tmp_path):
    err = problem_of(tmp_path, '[[rule]]\nid = "s.a"\nreason = "r"\nselector = ".a"\nselektor = ".b"\n')
    assert "rule[0] (s.a).selektor" in str(err)


def test_unknown_detect_key(tmp_path):
    err = problem_of(tmp_path, '[detect]\nclasses = ["x-"]\n')
    assert "detect.classes" in str(err)


def test_missing_id(tmp_path):
    err = problem_of(tmp_path, '[[rule]]\nreason = "r"\nselector = ".a"\n')
    assert "rule[0].id" in str(err) and "missing" in str(err)


def test_missing_reason(tmp_path):
    err = problem_of(tmp_path, '[[rule]]\nid = "s.a"\nselector = ".a"\n')
    assert "rule[0] (s.a).reason" in str(err)


def test_two_matchers(tmp_path):
    err = problem_of(tmp_path, '[[rule]]\nid = "s.a"\nreason = "r"\nselector = ".a"\nshortcode = "b"\n')
    assert "rule[0] (s.a)" in str(err) and "exactly one matcher" in str(err) and "selector, shortcode" in str(err)


def test_no_matcher(tmp_path):
    err = problem_of(tmp_path, '[[rule]]\nid = "s.a"\nreason = "r"\n')
    assert "found: none" in str(err)


def test_bad_regex(tmp_path):
    err = problem_of(tmp_path, '[[rule]]\nid = "s.a"\nreason = "r"\npattern = "(unclosed"\nzone = "tail"\n')
    assert "rule[0] (s.a).pattern" in str(err) and "invalid regular expression" in str(err)


def test_bad_selector(tmp_path):
    err = problem_of(tmp_path, '[[rule]]\nid = "s.a"\nreason = "r"\nselector = "div[["\n')
    assert "rule[0] (s.a).selector" in str(err) and "invalid CSS selector" in str(err)


def test_text_rule_needs_a_zone(tmp_path):
    err = problem_of(tmp_path, '[[rule]]\nid = "s.a"\nreason = "r"\ntext = "Related"\n')
    assert "rule[0] (s.a).zone" in str(err)


def test_bad_block_and_shortcode_names(tmp_path):
    err = problem_of(
        tmp_path,
        '[[rule]]\nid = "s.a"\nreason = "r"\nblock = "Not A Block"\n'
        '[[rule]]\nid = "s.b"\nreason = "r"\nshortcode = "a b"\n',
    )
    assert "rule[0] (s.a).block" in str(err) and "rule[1] (s.b).shortcode" in str(err)


def test_action_must_fit_the_matcher(tmp_path):
    err = problem_of(tmp_path, '[[rule]]\nid = "s.a"\nreason = "r"\nblock = "x/y"\naction = "unwrap"\n')
    assert "rule[0] (s.a).action" in str(err)
    err = problem_of(tmp_path, '[[rule]]\nid = "s.a"\nreason = "r"\nselector = "h1"\naction = "metadata"\n')
    assert "rule[0] (s.a).key" in str(err)


def test_invalid_toml_names_the_file(tmp_path):
    err = problem_of(tmp_path, "[[rule]\nid = ")
    assert "invalid TOML" in str(err)


def test_all_problems_are_collected_before_failing(tmp_path):
    err = problem_of(
        tmp_path,
        'colour = "red"\n'
        '[[rule]]\nreason = "r"\nselector = ".a"\n'
        '[[rule]]\nid = "s.b"\nreason = "r"\npattern = "("\nzone = "tail"\n'
        '[[rule]]\nid = "s.c"\nreason = "r"\nselector = ":::"\n',
    )
    assert "4 problems" in str(err)
    keys = [key for _, key, _ in err.problems]
    assert keys == ["colour", "rule[0].id", "rule[1] (s.b).pattern", "rule[2] (s.c).selector"]


def test_block_names_without_namespace_are_core():
    ps = parse_profile('[[rule]]\nid = "s.a"\nreason = "r"\nblock = "more"\n', "inline.toml")
    assert ps.block_rules[0].name == "core/more"


# --- listing --------------------------------------------------------------------------


def test_describe_lists_every_profile_and_rule():
    ps = load_profiles()
    text = describe_profiles(ps)
    for prof in ps:
        assert f"{prof.name} (bundled" in text
        for rule in prof.rules:
            assert rule.id in text
    assert describe_profiles(ps) == text  # deterministic


# --- the command line -------------------------------------------------------------------


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    from wpmigrate.cli import main

    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return info.value.code, out, err


def test_cli_profiles_lists_bundled_profiles(capsys):
    code, out, _ = run_cli(capsys, "profiles")
    assert code == 0
    assert out == describe_profiles(load_profiles())
    assert "zeen.promo-text" in out and "newsletters.mc4wp-form" in out


def test_cli_profiles_selection_and_validation(tmp_path, capsys):
    good = write(tmp_path, 'name = "mine"\n[[rule]]\nid = "mine.a"\nreason = "r"\nselector = ".a"\n', "mine.toml")
    code, out, _ = run_cli(capsys, "profiles", "--profile", "none", "--profile", str(good))
    assert code == 0 and out.startswith(f"mine ({good};") and "zeen" not in out
    bad = write(tmp_path, '[[rule]]\nid = "x"\nreason = "r"\npattern = "(("\nzone = "tail"\n', "bad.toml")
    code, out, err = run_cli(capsys, "profiles", "--profile", str(bad))
    assert code == 2 and out == ""
    assert f"{bad}" in err and "rule[0] (x).pattern" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "text, key",
    [
        ('[rule]\nid = "a"\n', "rule"),
        ("detect = 3\n", "detect"),
        ('content_roots = ["div[["]\n', "content_roots[0]"),
        ('content_roots = ".entry"\n', "content_roots"),
        ('apply = "sometimes"\n', "apply"),
        ('apply = "detected"\n', "apply"),
        ("schema = 2\n", "schema"),
        ('name = "Has Spaces"\n', "name"),
        ('[detect]\npatterns = ["(("]\n', "detect.patterns[0]"),
        ('[[rule]]\nid = 7\nreason = "r"\nselector = "p"\n', "rule[0].id"),
        ('[[rule]]\nid = "s.a"\nreason = "r"\nselector = "p"\nzone = "tail"\n', "rule[0] (s.a).zone"),
        ('[[rule]]\nid = "s.a"\nreason = "r"\ntext = "x"\nzone = "tail"\nmax_length = 0\n', "rule[0] (s.a).max_length"),
        ('[[rule]]\nid = "s.a"\nreason = "r"\nselector = "p"\nafter = ["s.b"]\n', "rule[0] (s.a).after"),
        ('[[rule]]\nid = "s.a"\nreason = "r"\ntext = "x"\nzone = "tail"\nafter = []\n', "rule[0] (s.a).after"),
        ('[[rule]]\nid = "s.a"\nreason = "r"\ntext = "x"\nzone = "tail"\nafter = "s.b"\n', "rule[0] (s.a).after"),
        ('[[rule]]\nid = "s.a"\nreason = "r"\ntext = "x"\nzone = "tail"\nafter = ["s.a"]\n', "rule[0] (s.a).after"),
        (
            '[[rule]]\nid = "s.a"\nreason = "r"\ntext = "x"\nzone = "tail"\naction = "flag"\nafter = ["s.b"]\n',
            "rule[0] (s.a).after",
        ),
        (
            '[[rule]]\nid = "s.a"\nreason = "r"\nselector = "p"\n[[rule]]\nid = "s.a"\nreason = "r"\nselector = "q"\n',
            "rule[1].id",
        ),
    ],
)
def test_each_schema_problem_names_its_key(tmp_path, text, key):
    err = problem_of(tmp_path, text)
    assert [k for _, k, _ in err.problems] == [key]
    assert f"{key}:" in str(err)


def test_not_utf8_and_directories_are_errors(tmp_path):
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ProfileError, match="not UTF-8"):
        load_profiles([bad])
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    with pytest.raises(ProfileError, match="cannot read"):
        load_profiles([folder])


def test_readme_lists_every_bundled_profile_with_its_rule_counts():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Bundled profiles") :]
    rows = {line.split("|")[1].strip().strip("`"): line for line in section.splitlines() if line.startswith("| `")}
    for prof in load_profiles():
        counts: dict[str, int] = {}
        for rule in prof.rules:
            counts[rule.kind] = counts.get(rule.kind, 0) + 1
        assert prof.name in rows, f"README misses profile {prof.name}"
        for kind, n in counts.items():
            assert f"{n} {kind}" in rows[prof.name], f"README count for {prof.name}: {n} {kind}"


def test_a_theme_profile_picked_by_name_applies_without_its_markers():
    from wpmigrate.clean import clean_html

    html = "<p>Ein ganz normaler Absatz mit genug Wörtern, um Prosa zu sein.</p><h3>Top Reviews</h3>"
    assert clean_html(html).html == html  # all bundled: zeen is not detected here
    assert clean_html(html, ["all"]).html == html
    picked = clean_html(html, ["zeen"])
    assert [r.rule for r in picked.removed] == ["zeen.widget-heading"]
    assert load_profiles(["zeen", "newsletters"]).forced == {"zeen", "newsletters"}
    assert load_profiles().forced == frozenset()


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_KEYS = [
    "id",
    "reason",
    "selector",
    "block",
    "shortcode",
    "text",
    "pattern",
    "zone",
    "action",
    "key",
    "max_length",
    "after",
    "extra",
]
_VALUES = [
    '"x.a"',
    '"r"',
    '"div.a"',
    '"(("',
    '"[["',
    '"tail"',
    '"drop"',
    '"metadata"',
    "3",
    "-1",
    "true",
    '["a"]',
    "{a = 1}",
    '""',
    '"core/x"',
    '"a b"',
]


@settings(max_examples=60, deadline=None)
@given(
    top=st.lists(
        st.sampled_from(
            [
                'name = "p"',
                'apply = "detected"',
                "content_roots = []",
                'content_roots = ["(("]',
                "schema = 1",
                "[detect]\nstrings = [1]",
            ]
        ),
        max_size=3,
    ),
    rules=st.lists(st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from(_VALUES)), max_size=6), max_size=4),
)
def test_any_profile_file_loads_or_fails_with_a_profile_error(tmp_path_factory, top, rules):
    text = "\n".join(top) + "\n"
    for rule in rules:
        text += "[[rule]]\n" + "".join(f"{k} = {v}\n" for k, v in dict(rule).items())
    path = tmp_path_factory.mktemp("p") / "fuzz.toml"
    path.write_text(text, encoding="utf-8")
    try:
        ps = load_profiles(["none", path])
    except ProfileError as err:
        assert str(path) in str(err)
    else:
        assert all(r.id and r.reason for r in ps.rules)


@pytest.mark.parametrize(
    "text, message",
    [
        # a misspelt id: the run would never start
        (
            '[[rule]]\nid = "s.label"\nreason = "r"\npattern = "Share:"\nzone = "tail"\n'
            '[[rule]]\nid = "s.names"\nreason = "r"\npattern = "Twitter|Facebook"\nzone = "tail"\nafter = ["s.lable"]\n',
            "no loaded profile has a rule 's.lable'",
        ),
        # a selector rule removes no line a run could follow
        (
            '[[rule]]\nid = "s.box"\nreason = "r"\nselector = ".share"\n'
            '[[rule]]\nid = "s.names"\nreason = "r"\npattern = "Twitter|Facebook"\nzone = "tail"\nafter = ["s.box"]\n',
            "'s.box' is a selector rule",
        ),
    ],
)
def test_after_must_name_a_text_rule_that_is_loaded(tmp_path, capsys, text, message):
    err = problem_of(tmp_path, text)
    assert [k for _, k, _ in err.problems] == ["rule 's.names'.after"]
    assert message in str(err)
    # and from the command line: one message naming the file and the rule, no traceback
    path = tmp_path / "site.toml"
    code, out, err_text = run_cli(capsys, "profiles", "--profile", str(path))
    assert code == 2 and out == "" and str(path) in err_text and "s.names" in err_text
    assert "Traceback" not in err_text


def test_after_may_name_a_rule_of_another_loaded_profile(tmp_path):
    path = write(
        tmp_path,
        '[[rule]]\nid = "mine.more"\nreason = "r"\npattern = "(?i)mastodon|bluesky"\nzone = "tail"\nafter = ["share.label"]\n',
    )
    assert any(r.id == "mine.more" for r in load_profiles([path]).run_rules)
    with pytest.raises(ProfileError, match="share.label"):
        load_profiles(["none", path])  # without the bundled profiles it names nothing


def test_source_rules_are_tried_only_where_a_block_or_a_named_shortcode_opens():
    ps = load_profiles()
    script = "<html><body><script>var a = [1, 2]; x['y'] = 3;</script><p>[note] text</p></body></html>"
    assert not ps.may_edit_source(script)
    assert ps.may_edit_source("<p>Hi</p>[simple-author-box]")
    assert ps.may_edit_source('<p>Hi</p>[[Simple-Author-Box id="2"]]')  # a superset: case folded
    assert ps.may_edit_source("<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->") == bool(ps.block_rules)
    page = "<html><body><p>Written by me.</p>[simple-author-box]<script>var a = [1];</script></body></html>"
    assert "[simple-author-box]" not in clean_html(page).html
