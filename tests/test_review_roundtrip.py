"""A Welsh reviewer's round trip (`fmse-course content export` / `import`), with the file edited by Debian's gettext
tools rather than by the course's own writer: msgcat re-sorts and rewraps it, msgfilter changes Welsh, msgattrib
clears the fuzzy marks as a reviewer's tool would. Runs on a copy of the course's content."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from fmse_widgets import yaml_text
from fmse_widgets.content import review, translation

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 6)
DRAFT_KEY = "data/exercises/adult-check.yaml: questions[what-stopncii-does].prompt"


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but Debian's gettext tool {name} is missing: apt-get install gettext "
                        "(scripts/test does)")
        pytest.skip(f"no {name}: apt-get install gettext")
    return path


def run(*argv: str) -> None:
    subprocess.run([gettext_tool(argv[0]), *argv[1:]], check=True, capture_output=True)


@pytest.fixture
def course(tmp_path):
    """A copy of the course's content files and Welsh catalogue."""
    root = tmp_path / "course"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    po = root / "fmse.po"
    shutil.copy(ROOT / "widgets" / "locale" / "cy" / "LC_MESSAGES" / "fmse.po", po)
    return root, po


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def load(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_export_holds_every_string_with_status_context_and_official_marks(course, tmp_path):
    root, po = course
    out = tmp_path / "cy.po"
    n = review.export(out, root, po)
    run("msgfmt", "-c", "-o", os.devnull, str(out))  # gettext itself accepts the file
    messages = [m for m in load(out) if m.id]
    units = review.collect(root, po)
    assert n == len(messages) == len(units) > 1500
    assert len({(m.context, m.id) for m in messages}) == len(messages)  # every string addressable
    draft = {u.key for u in units if u.status == "draft"}
    assert {m.context for m in messages if m.fuzzy} == draft
    official = [m for m in messages if review.READ_ONLY in m.flags]
    assert official and all(review.OFFICIAL_NOTE in " ".join(m.auto_comments) for m in official)
    assert all(not m.fuzzy for m in official)
    by_key = {m.context: m for m in messages}
    assert "exercise adult-check on cy/05-dioddefwyr-syn-oedolion.ipynb" in " ".join(by_key[DRAFT_KEY].auto_comments)
    # the notebooks' prose comes paragraph by paragraph, and the cases data card too
    assert any(" ¶" in m.context and m.context.startswith("notebooks/cy/") for m in messages)
    assert any(m.context.startswith("data/cases/README.cy.md") for m in messages)
    assert any(m.context.startswith("interface") for m in messages)


def test_resorted_rewrapped_file_changes_nothing(course, tmp_path):
    root, po = course
    out, edited = tmp_path / "cy.po", tmp_path / "sorted.po"
    review.export(out, root, po)
    run("msgcat", "-s", "-w", "40", "-o", str(edited), str(out))
    before = snapshot(root)
    report = review.import_review(edited, "Siân Jones", root, po, today=TODAY)
    assert report.changed == report.reviewed == report.refused == report.ignored == []
    assert snapshot(root) == before


def test_reviewed_and_corrected_welsh_goes_back_into_its_files(course, tmp_path):
    root, po = course
    out, picked, changed, merged, cleared = (tmp_path / n for n in ("cy.po", "picked.po", "changed.po",
                                                                    "merged.po", "cleared.po"))
    review.export(out, root, po)
    # change the Welsh of one content string and one interface string, with gettext's own tools
    run("msggrep", "-J", "-F", "-e", DRAFT_KEY, "-o", str(picked), str(out))
    run("msgfilter", "--keep-header", "-i", str(picked), "-o", str(changed), "sed", "-e", "s/$/ (adolygwyd)/")
    run("msgcat", "--use-first", "-s", "-w", "40", "-o", str(merged), str(changed), str(out))
    run("msgattrib", "--clear-fuzzy", "-o", str(cleared), str(merged))
    report = review.import_review(cleared, "Siân Jones", root, po, today=TODAY)

    assert report.changed == [DRAFT_KEY] and not report.refused
    drafts = [u for u in review.collect(root, po) if u.status == "draft"]
    assert drafts == [] and len(report.reviewed) > 1500
    data = yaml_text.safe_load((root / "data/exercises/adult-check.yaml").read_text(encoding="utf-8"))
    question = next(q for q in data["questions"] if q["id"] == "what-stopncii-does")
    assert question["prompt"]["cy"].endswith(" (adolygwyd)")
    assert question["prompt"]["cy_status"] == "reviewed" and question["prompt"]["cy_reviewer"] == "Siân Jones"
    assert question["prompt"]["cy_reviewed"] == "2026-12-06"
    # nothing is stale, and every status the course tracks says reviewed or official
    entries = translation.all_entries(root)
    assert not [e for e in entries if e.stale]
    cells = [e for e in translation.notebook_entries(root / "notebooks")]
    assert {e.status for e in cells} <= {"reviewed", "official"}
    catalogue = load(po)
    assert all(any(c.startswith(("reviewed: Siân Jones, 2026-12-06", "official")) for c in m.user_comments)
               for m in catalogue if m.id)
    assert "reviewed" in translation.document_meta((root / "data/cases/README.cy.md").read_text(encoding="utf-8"))[
        "cy_status"]


def test_changed_official_text_is_refused(course, tmp_path):
    root, po = course
    out, picked, changed, merged = (tmp_path / n for n in ("cy.po", "picked.po", "changed.po", "merged.po"))
    review.export(out, root, po)
    official = next(m.context for m in load(out) if m.id and review.READ_ONLY in m.flags)
    run("msggrep", "-J", "-F", "-e", official, "-o", str(picked), str(out))
    run("msgfilter", "--keep-header", "-i", str(picked), "-o", str(changed), "sed", "-e", "s/^/Newid: /")
    run("msgcat", "--use-first", "-o", str(merged), str(changed), str(out))
    before = snapshot(root)
    report = review.import_review(merged, "Siân Jones", root, po, today=TODAY)
    assert [r.split(":")[0] for r in report.refused] == [official.split(":")[0]]
    assert "official alert text cannot be changed" in report.refused[0]
    assert snapshot(root) == before


def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_changes(course, tmp_path):
    root, po = course
    before = snapshot(root)
    broken = tmp_path / "broken.po"
    broken.write_text("Hello, this is a letter, not a translation file\n", encoding="utf-8")
    with pytest.raises(review.ReviewFileError, match="not a readable .po file"):
        review.import_review(broken, "Siân Jones", root, po)
    broken.write_bytes(b"\xff\xfe\x00 not UTF-8")
    with pytest.raises(review.ReviewFileError, match="save it as UTF-8"):
        review.import_review(broken, "Siân Jones", root, po)
    with pytest.raises(review.ReviewFileError, match="no such file"):
        review.import_review(tmp_path / "missing.po", "Siân Jones", root, po)
    empty = tmp_path / "empty.po"
    empty.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n', encoding="utf-8")
    with pytest.raises(review.ReviewFileError, match="holds no strings"):
        review.import_review(empty, "Siân Jones", root, po)
    with pytest.raises(review.ReviewFileError, match="--reviewer"):
        review.import_review(empty, "  ", root, po)
    assert snapshot(root) == before


def test_the_commands_export_and_refuse_a_bad_file_with_a_message(tmp_path, capsys):
    from fmse_widgets.cli import main

    out = tmp_path / "cy.po"
    assert main(["content", "export", "--lang", "cy", "--out", str(out)]) == 0
    assert "Welsh strings to" in capsys.readouterr().out and len([m for m in load(out) if m.id]) > 1500
    bad = tmp_path / "bad.po"
    bad.write_text("not a translation file\n", encoding="utf-8")
    assert main(["content", "import", str(bad), "--reviewer", "Siân Jones"]) == 1
    err = capsys.readouterr().err
    assert "not a readable .po file" in err and "Nothing was changed" in err
    assert main(["content", "import", str(out)]) == 2
    assert "--reviewer NAME" in capsys.readouterr().err
    assert main(["content", "status"]) == 0
    assert "Welsh strings the course shows: " in capsys.readouterr().out
