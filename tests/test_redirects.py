"""``--redirects``: which old URLs get one, each format's syntax and escaping, and the file as an output."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import wpmigrate
from wpmigrate.cli import cli
from wpmigrate.errors import OutputError, UsageError
from wpmigrate.links.redirects import Redirect, format_for, render_redirects
from wpmigrate.model import TargetKind
from wpmigrate.options import RedirectsFormat

EXPORT = Path(__file__).parent / "data" / "links-export.xml"

# paths with what each format must escape: a space, non-ASCII, "%", regex and placeholder characters
ODD = [
    Redirect("/2019/06/über uns/", None, "/neu/über uns/"),
    Redirect("/a%b (c)/", None, "/x$1%2/"),
    Redirect("/a:b*c.d+e/", None, "/ok/"),
    Redirect('/q"uote/', None, "/ok/"),
    Redirect("/", ("p", "12"), "/post/"),
    Redirect("/blog/", ("attachment_id", "7"), "https://cdn.example/f.jpg", TargetKind.FILE),
]


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("_redirects", "netlify"),
        ("site.conf", "nginx"),
        ("redirects.nginx", "nginx"),
        (".htaccess", "apache"),
        ("Caddyfile", "caddy"),
        ("redirects.caddy", "caddy"),
        ("r.csv", "csv"),
        ("r.json", "json"),
    ],
)
def test_format_from_the_file_name(name, fmt):
    assert format_for(name, None) == RedirectsFormat(fmt)
    assert format_for(name, "json") == RedirectsFormat.JSON


def test_unknown_name_or_format_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="cannot tell the format"):
        format_for("redirects.txt", None)
    with pytest.raises(UsageError, match="redirects-format"):
        wpmigrate.convert(EXPORT, tmp_path, redirects_format="iis")
    result = CliRunner().invoke(cli, ["convert", str(EXPORT), "-o", str(tmp_path), "--redirects", "r.txt"])
    # main() maps it to its exit code (2), before anything is read or written
    assert isinstance(result.exception, UsageError) and result.exception.exit_code == 2
    assert not (tmp_path / "r.txt").exists() and not any(tmp_path.iterdir())


def test_netlify_lines_and_escaping():
    text = render_redirects(ODD, "netlify")
    lines = [line.split() for line in text.splitlines() if not line.startswith("#")]
    assert lines[0] == ["/2019/06/%C3%BCber%20uns/", "/neu/%C3%BCber%20uns/", "301"]
    assert lines[1] == ["/a%25b%20(c)/", "/x%241%252/", "301"]
    assert lines[2][0] == "/a%3Ab%2Ac.d+e/"  # no placeholder, no splat
    assert lines[3][0] == "/q%22uote/"
    assert lines[4] == ["/", "p=12", "/post/", "301"]
    assert lines[5] == ["/blog/", "attachment_id=7", "https://cdn.example/f.jpg", "301"]


def _nginx_entries(text: str) -> list[tuple[re.Pattern, str]]:
    entries = []
    for line in text.splitlines():
        m = re.fullmatch(r'\s*"((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)";', line)
        if m and m.group(1).startswith("~"):
            # nginx's parser: \\ is \ and \" is " inside a quoted string
            regex = re.sub(r"\\([\\\"])", r"\1", m.group(1))[1:]
            entries.append((re.compile(regex), m.group(2)))
    return entries


def test_nginx_map_matches_what_it_should_and_nothing_else():
    text = render_redirects(ODD, "nginx")
    assert 'map "$uri?$args" $wpmigrate_redirect {' in text and text.rstrip().endswith("}")
    assert "return 301 $wpmigrate_redirect" in text
    entries = _nginx_entries(text)
    assert len(entries) == len(ODD)

    def target(request: str) -> str | None:
        return next((t for regex, t in entries if regex.search(request)), None)

    assert target("/2019/06/über uns/?") == "/neu/%C3%BCber%20uns/"
    assert target("/2019/06/über uns/?utm=1") == "/neu/%C3%BCber%20uns/"
    assert target("/2019/06/über uns/x/?") is None
    assert target("/2019/06/über unsX?") is None
    assert target("/a%b (c)/?") == "/x%241%252/"  # no "$" left for nginx to read as a variable
    assert target("/a:b*c.d+e/?") == "/ok/" and target("/a:bbbc.d+e/?") is None
    assert target('/q"uote/?') == "/ok/"
    assert target("/?p=12") == "/post/" and target("/index.php?x=1&p=12&y") == "/post/"
    assert target("/?p=123") is None and target("/?xp=12") is None and target("/other/?p=12") is None
    assert target("/blog/?attachment_id=7") == "https://cdn.example/f.jpg"


def test_nginx_accepts_the_map(tmp_path):
    nginx = shutil.which("nginx")
    if nginx is None:
        pytest.skip("nginx is not installed: the map is checked by its regular expressions only")
    (tmp_path / "logs").mkdir()
    (tmp_path / "redirects.conf").write_text(render_redirects(ODD, "nginx"), encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        "pid nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n    include redirects.conf;\n"
        "    server {\n        listen 127.0.0.1:8080;\n"
        "        if ($wpmigrate_redirect) { return 301 $wpmigrate_redirect; }\n    }\n}\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def _apache_rules(text: str) -> list[tuple[re.Pattern | None, re.Pattern, str, str]]:
    rules, cond = [], None
    for line in text.splitlines():
        m = re.fullmatch(r'RewriteCond %\{QUERY_STRING\} "((?:[^"\\]|\\.)*)"', line)
        if m:
            cond = re.compile(m.group(1).replace('\\"', '"'))
            continue
        m = re.fullmatch(r'RewriteRule "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)" \[([A-Z0-9=,]+)\]', line)
        if m:
            rules.append((cond, re.compile(m.group(1).replace('\\"', '"')), m.group(2), m.group(3)))
            cond = None
    return rules


def test_apache_rules_match_in_htaccess_and_server_context():
    text = render_redirects(ODD, "apache")
    assert text.splitlines()[3] == "RewriteEngine On"
    rules = _apache_rules(text)
    assert len(rules) == len(ODD)

    def target(path: str, query: str = "") -> str | None:
        for cond, pattern, to, _ in rules:
            if pattern.search(path) and (cond is None or cond.search(query)):
                return to
        return None

    for path in ("2019/06/über uns/", "/2019/06/über uns/"):  # .htaccess strips the slash, a vhost not
        # every "%" escaped: %N would be a back-reference (%2 in %252), [NE] keeps the encoding
        assert target(path) == "/neu/\\%C3\\%BCber\\%20uns/"
    assert target("2019/06/über uns/x/") is None
    assert target("a%b (c)/") == "/x\\%241\\%252/"  # $N and %N would be back-references
    assert target("a:b*c.d+e/") == "/ok/" and target("a:bc.d+e/") is None
    assert target("", "p=12") == "/post/" and target("index.php", "a=1&p=12") == "/post/"
    assert target("", "p=123") is None
    assert all("R=301" in flags and "NE" in flags for *_, flags in rules)
    assert all("QSD" in flags for cond, *_, flags in rules if cond is not None)


def test_apache_accepts_the_rules(tmp_path):
    apache = shutil.which("apache2") or shutil.which("httpd")
    if apache is None:
        pytest.skip("apache2 is not installed: the rules are checked by their regular expressions only")
    modules = [Path(p) for p in ("/usr/lib/apache2/modules", "/usr/lib64/httpd/modules", "/usr/lib/httpd/modules")]
    found = next((m for m in modules if (m / "mod_rewrite.so").is_file()), None)
    if found is None:
        pytest.skip("mod_rewrite.so not found beside apache2")
    (tmp_path / "rules.conf").write_text(render_redirects(ODD, "apache"), encoding="utf-8")
    # a module-built Apache (Debian's) needs a processing module to start even for -t
    mpm = f"LoadModule mpm_event_module {found}/mod_mpm_event.so\n" if (found / "mod_mpm_event.so").is_file() else ""
    (tmp_path / "httpd.conf").write_text(
        f"ServerRoot {tmp_path}\nListen 127.0.0.1:8080\nPidFile {tmp_path}/httpd.pid\nErrorLog /dev/null\n{mpm}"
        f"LoadModule rewrite_module {found}/mod_rewrite.so\nInclude {tmp_path}/rules.conf\n",
        encoding="utf-8",
    )
    proc = subprocess.run([apache, "-t", "-f", str(tmp_path / "httpd.conf")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_caddy_directives():
    text = render_redirects(ODD, "caddy")
    assert "redir /2019/06/%C3%BCber%20uns/ /neu/%C3%BCber%20uns/ permanent" in text
    assert "redir /a%25b%20(c)/ /x%241%252/ permanent" in text
    assert "redir /a%3Ab%2Ac.d+e/ /ok/ permanent" in text  # "*" would be a wildcard
    assert "@wpmigrate_1 {\n\tpath / /index.php\n\tquery p=12\n}\nredir @wpmigrate_1 /post/ permanent" in text
    assert text.count("{") == text.count("}")


def test_csv_and_json_are_the_list():
    rows = list(csv.DictReader(io.StringIO(render_redirects(ODD, "csv"))))
    assert rows[0] == {"from": "/2019/06/über uns/", "to": "/neu/über uns/", "status": "301", "kind": "page"}
    assert rows[4]["from"] == "/?p=12" and rows[5]["kind"] == "file"
    data = json.loads(render_redirects(ODD, "json"))
    assert [d["from"] for d in data] == [r["from"] for r in rows]


def test_convert_writes_every_changed_old_url(tmp_path):
    report = wpmigrate.convert(EXPORT, tmp_path, layout="hugo", redirects=tmp_path / "r.json", jobs=1)
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    pairs = {d["from"]: d["to"] for d in data}
    assert pairs == {
        "/2019/06/porto-reise/": "/2019/06/porto/",
        "/2019/06/porto/porto-bruecke/": "https://www.reise.example/wp-content/uploads/2019/06/bruecke.jpg",
        "/?attachment_id=301": "https://www.reise.example/wp-content/uploads/2019/06/bruecke.jpg",
        "/?p=101": "/2019/06/porto/",
        "/?p=102": "/2019/07/lissabon/",
        "/?p=201": "/ueber/",
        "/?p=202": "/ueber/anreise/",
        "/?page_id=201": "/ueber/",
        "/?page_id=202": "/ueber/anreise/",
        "/category/reisen/": "/categories/Reisen/",
        "/category/reisen/portugal/": "/categories/Portugal-am-Meer/",
        "/category/portugal/": "/categories/Portugal-am-Meer/",
        "/tag/see/": "/tags/See/",
    }
    assert [d["from"] for d in data] == sorted(pairs)  # deterministic order
    assert report.summary()["redirects"] == {"file": str(tmp_path / "r.json"), "format": "json", "count": 13}
    # no redirect from a URL the new site builds itself (--urls keep: every permalink stays)
    assert not any(d["from"] in ("/2019/06/porto/", "/ueber/") for d in data)


def test_generator_urls_redirect_the_old_permalinks(tmp_path):
    wpmigrate.convert(EXPORT, tmp_path, layout="hugo", urls="generator", redirects=tmp_path / "r.csv", jobs=1)
    rows = {r["from"]: r["to"] for r in csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text()))}
    assert rows["/2019/06/porto/"] == "/posts/porto/" and rows["/2019/06/porto-reise/"] == "/posts/porto/"


def test_redirects_inside_out_are_a_file_of_the_run(tmp_path):
    target = tmp_path / "static" / "_redirects"
    args = ["convert", str(EXPORT), "-o", str(tmp_path), "--layout", "hugo", "--redirects", str(target), "-j", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "redirect(s) to" in result.output
    manifest = (tmp_path / ".wpmigrate-manifest.jsonl").read_text(encoding="utf-8")
    assert '"static/_redirects"' in manifest
    first = target.read_bytes()
    assert CliRunner().invoke(cli, args).exit_code == 0  # ours: no --force needed
    assert target.read_bytes() == first
    target.write_text("/mine /yours 301\n", encoding="utf-8")  # edited since
    with pytest.raises(OutputError, match="changed since wpmigrate wrote it"):
        wpmigrate.convert(EXPORT, tmp_path, layout="hugo", redirects=target, jobs=1)
    wpmigrate.convert(EXPORT, tmp_path, layout="hugo", redirects=target, force=True, jobs=1)
    assert target.read_bytes() == first


def test_a_foreign_file_is_never_overwritten(tmp_path):
    (tmp_path / "_redirects").write_text("/theirs /x 301\n", encoding="utf-8")
    with pytest.raises(OutputError, match="did not write"):
        wpmigrate.convert(EXPORT, tmp_path, redirects=tmp_path / "_redirects", jobs=1)
    assert (tmp_path / "_redirects").read_text(encoding="utf-8") == "/theirs /x 301\n"


def test_dry_run_counts_but_writes_nothing(tmp_path):
    report = wpmigrate.convert(EXPORT, tmp_path / "o", redirects=tmp_path / "r.csv", dry_run=True, jobs=1)
    assert report.summary()["redirects"]["count"] > 0
    assert not (tmp_path / "r.csv").exists()
