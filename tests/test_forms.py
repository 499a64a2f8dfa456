"""The ``forms`` profile: forms need their plugin's server, so they go, and the report names the plugin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import wpmigrate
from tests.wxrbuild import build_wxr
from wpmigrate.clean.text import clean_text
from wpmigrate.cli import cli, main

FORM_POSTS = [
    {
        "id": 10,
        "slug": "contact",
        "type": "page",
        "title": "Contact",
        "content": "Questions about a booking? Write to us and we answer within two working days.\n\n"
        '[contact-form-7 id="12" title="Contact form 1"]\n',
    },
    {
        "id": 11,
        "slug": "camp",
        "title": "Summer camp",
        "content": "<!-- wp:paragraph -->\n<p>Bookings for the summer camp open in March this year.</p>\n"
        '<!-- /wp:paragraph -->\n\n<!-- wp:wpforms/form-selector {"formId":"31"} /-->\n\n'
        '<!-- wp:gravityforms/form {"formId":"2"} /-->\n',
    },
    {
        "id": 12,
        "slug": "plain",
        "title": "Plain",
        "content": "A post without any form in it, long enough to count as prose.",
    },
]


def _convert(tmp_path: Path, **kw):
    src = tmp_path / "export.xml"
    src.write_bytes(build_wxr(FORM_POSTS))
    report = wpmigrate.convert(src, tmp_path / "out", report=tmp_path / "report.json", **kw)
    return report, json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))


def test_report_names_the_form_plugin_of_every_removed_form(tmp_path):
    report, data = _convert(tmp_path)
    by_id = {entry["id"]: entry for entry in data["items"]}
    contact = [r for r in by_id[10]["removed"] if r["profile"] == "forms"]
    assert [(r["reason"], r["action"]) for r in contact] == [("Contact Form 7 form", "removed")]
    assert 'id="12"' in contact[0]["text"]  # which form of the plugin it was
    camp = sorted(r["reason"] for r in by_id[11]["removed"] if r["profile"] == "forms")
    assert camp == ["Gravity Forms form", "WPForms form"]
    assert "removed" not in by_id[12]
    summary = data["summary"]
    assert summary["forms_removed"] == {"Contact Form 7 form": 1, "Gravity Forms form": 1, "WPForms form": 1}
    line = next(ln for ln in report.format_summary().splitlines() if "forms" in ln)
    assert "form service" in line and "Contact Form 7 form×1" in line and "WPForms form×1" in line
    out = (tmp_path / "out").rglob("*.md")
    text = "\n".join(p.read_text(encoding="utf-8") for p in out)
    assert "contact-form-7" not in text and "wpforms" not in text
    assert "Bookings for the summer camp open in March" in text


def test_forms_profile_can_be_left_out(tmp_path):
    report, data = _convert(tmp_path, profiles=["newsletters", "share-buttons"])
    assert data["summary"]["forms_removed"] == {}
    assert not any("form service" in ln for ln in report.format_summary().splitlines())
    page = next((tmp_path / "out").rglob("contact*.md")).read_text(encoding="utf-8")
    assert '[contact-form-7 id="12" title="Contact form 1"]' in page


def test_cli_summary_lists_removed_forms(tmp_path):
    src = tmp_path / "export.xml"
    src.write_bytes(build_wxr(FORM_POSTS))
    result = CliRunner().invoke(cli, ["convert", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "removed forms (a static site needs a form service in their place)" in result.output
    off = CliRunner().invoke(cli, ["convert", str(src), "-o", str(tmp_path / "out2"), "--profile", "newsletters"])
    assert off.exit_code == 0, off.output
    assert "form service" not in off.output


# --- scraped text: the labels a form leaves behind ------------------------------------------

ARTICLE = (
    "Kontakt\n\n"
    "We are a small bakery in the old town and we bake every morning from five o'clock on.\n\n"
    "Orders for cakes need two days, and we deliver within the city on Saturdays.\n\n"
)


def test_scraped_form_labels_at_the_end_go():
    page = ARTICLE + "Your Name*\n\nEmail*\n\nYour Message (required)\n\nSend a Message\n"
    r = clean_text(page)
    assert "bake every morning" in r.markdown and "deliver within the city" in r.markdown
    for label in ("Your Name*", "Email*", "Your Message (required)", "Send a Message"):
        assert label not in r.markdown
    rules = {x.rule for x in r.removed}
    assert {"forms.required-label", "forms.submit-label"} <= rules


def test_scraped_labels_without_marker_go_only_after_the_article():
    page = ARTICLE + "Your Name\n\nYour Email\n\nSubmit\n"
    r = clean_text(page)
    assert "Your Name" not in r.markdown and "Submit" not in r.markdown
    # the same words inside the article are its text
    inside = "Kontakt\n\nSubmit\n\n" + ARTICLE.split("\n\n", 1)[1] + "That is all for today, see you in the shop.\n"
    assert "Submit" in clean_text(inside).markdown


def test_article_about_form_fields_keeps_its_text():
    text = (
        "How to Design a Contact Form\n\n"
        'A good form asks only for "Your Name" and an email address, and the button says "Send a Message".\n\n'
        "Labels like Your Name or Email* belong above their fields, not inside them as placeholders.\n\n"
        "Test the form on a phone before you publish it, since most visitors will use one.\n"
    )
    r = clean_text(text)
    assert not [x for x in r.removed if x.profile == "forms"]
    for sentence in text.split("\n\n")[1:]:
        assert sentence.strip() in r.markdown


def test_forms_profile_off_keeps_labels_in_scraped_text():
    page = ARTICLE + "Your Name*\n\nSend a Message\n"
    r = clean_text(page, ["newsletters"])
    assert "Your Name*" in r.markdown and "Send a Message" in r.markdown


def test_the_label_run_of_a_contact_form_goes_from_scraped_text():
    # the run a contact form leaves in a page's text: labels, required markers, the buttons
    page = ARTICLE + "Your Name\nEmail*\nSubject\nMessage*\nSend a Message\nSubmit\n"
    r = clean_text(page)
    assert r.markdown.rstrip("\n").endswith("we deliver within the city on Saturdays.")
    assert {x.text for x in r.removed} >= {"Your Name", "Email*", "Subject", "Message*", "Send a Message", "Submit"}


def test_clean_command_on_a_scraped_contact_page(tmp_path, capsys):
    page = tmp_path / "kontakt.txt"
    page.write_text(ARTICLE + "Your Name*\nEmail*\nSend a Message\n", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["clean", str(page)])
    out = capsys.readouterr().out
    assert (done.value.code or 0) == 0
    assert "deliver within the city" in out and "Email*" not in out and "Send a Message" not in out
    with pytest.raises(SystemExit):
        main(["clean", str(page), "--profile", "newsletters"])
    assert "Send a Message" in capsys.readouterr().out
