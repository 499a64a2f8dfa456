"""The wordpress profile's text rules: comment-form and navigation strings in scraped text go,
the same words in running text stay."""

from __future__ import annotations

from wpmigrate import clean_html, clean_text

ARTICLE = (
    "Der Weg zur Eiskapelle ist einfach, aber nach Regen rutschig und an manchen Stellen steil.\n\n"
    "Festes Schuhwerk ist Pflicht, und für den Rückweg sollte man mindestens eine Stunde einplanen.\n\n"
    "Wer früh losgeht, hat den Uferweg fast für sich allein und sieht oft noch Nebel über dem Wasser.\n\n"
)


def test_comment_form_and_navigation_strings_in_the_tail_go():
    page = (
        "Zum Inhalt springen\n\n"
        + ARTICLE
        + "Beitrags-Navigation\n\nSchreibe einen Kommentar Antworten abbrechen\n\nAntworten abbrechen\n\n"
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert\n\n"
        "Liken Lade …\n"
    )
    result = clean_text(page)
    md = result.markdown
    for gone in ("Zum Inhalt springen", "Beitrags-Navigation", "Deine E-Mail-Adresse", "Liken Lade"):
        assert gone not in md, gone
    assert "Antworten abbrechen\n" not in md
    for para in ARTICLE.split("\n\n"):
        if para.strip():
            assert para.strip() in md
    assert {r.rule for r in result.removed} >= {
        "wordpress.skip-link",
        "wordpress.post-navigation-text",
        "wordpress.comment-form-text",
    }


def test_the_same_words_in_running_text_stay():
    html = (
        "<p>Leave a comment below and tell us which trail you liked best, we read every single one.</p>"
        "<p>Your email address will not be published, so feel free to write to us about anything at all.</p>"
        "<p>Leave a reply</p>"
    )
    result = clean_html(html)
    assert "Leave a comment below" in result.html
    assert "Your email address will not be published, so" in result.html
    assert "Leave a reply" not in result.html
