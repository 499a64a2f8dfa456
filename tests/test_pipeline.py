"""One body through render → clean → Markdown on one tree (wpmigrate.pipeline)."""

from __future__ import annotations

import pytest

from wpmigrate import ContentPipeline, ConvertOptions, convert_content

SHARE = (
    '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">'
    '<h3 class="sd-title">Teilen mit:</h3><div class="sd-content"><ul>'
    '<li class="share-twitter"><a href="?share=twitter">Twitter</a></li>'
    '<li class="share-facebook"><a href="?share=facebook">Facebook</a></li></ul></div></div></div>'
)
PROSE = "Ein Absatz mit genug Worten, damit er als Prosa zählt, und noch ein paar mehr dazu."


@pytest.mark.parametrize(
    "content, body, summary",
    [
        # a table with the marker in its first cell keeps every row
        (
            "<table><tr><td>A<!--more-->B</td><td>C</td></tr><tr><td>D</td><td>E</td></tr></table>",
            "| AB | C |\n|---|---|\n| D | E |\n",
            "| A |\n|---|",
        ),
        # a quote keeps its second paragraph
        (
            "<blockquote><p>Erster Gedanke.</p><!--more--><p>Zweiter Gedanke.</p></blockquote>",
            "> Erster Gedanke.\n>\n> Zweiter Gedanke.\n",
            "> Erster Gedanke.",
        ),
        # bold text keeps its second half
        (
            "<p><strong>fett und <!--more-->weiter fett</strong> Ende.</p>",
            "**fett und weiter fett** Ende.\n",
            "**fett und**",
        ),
        # a div holding the marker: no false "nested too deeply" warning
        ("<div><p>Vorne.</p><!--more--><p>Hinten.</p></div>", "Vorne.\n\nHinten.\n", "Vorne."),
    ],
)
def test_more_inside_an_element_splits_nothing(content, body, summary):
    result = convert_content(content, options=ConvertOptions(clean=False))
    assert result.markdown == body
    assert result.summary == summary
    assert result.warnings == []


def test_the_summary_is_cut_from_the_cleaned_tree():
    content = f"<p>{PROSE}</p>{SHARE}<!--more--><p>{PROSE} Danach.</p>"
    result = convert_content(content)
    assert "Twitter" not in result.markdown and "Teilen mit" not in result.markdown
    assert result.summary == PROSE
    assert [r["rule"] for r in result.removed] == ["share.jetpack-sharedaddy"]


def test_keep_leaves_the_marker_and_no_summary():
    result = convert_content("Vorne.\n<!--more-->\nHinten.", options=ConvertOptions(more="keep"))
    assert result.markdown == "Vorne.\n\n<!--more-->\n\nHinten.\n" and result.summary is None


def test_drop_removes_the_marker_inside_text_without_losing_text():
    result = convert_content("<p><em>eins <!--more-->zwei</em></p>", options=ConvertOptions(more="drop"))
    assert result.markdown == "*eins zwei*\n" and result.summary is None


def test_a_pipeline_converts_many_bodies_with_one_set_of_profiles():
    pipeline = ContentPipeline()
    bodies = [pipeline.run(f"<p>{PROSE} {n}</p>{SHARE}") for n in range(3)]
    assert all("Twitter" not in b.markdown for b in bodies)
