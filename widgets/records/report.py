"""The staff-training report: completion by module and person, with scores and dates, in English or Welsh.

One row per person and module. Workshop participants (records made under a workshop code) are left out
unless asked for, and then each workshop's records are their own rows, with the code in a column.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..course import pages
from ..i18n import translator
from .certificate import format_code
from .exchange import spreadsheet_safe
from .progress import completion_rule, module_state
from .store import RecordStore, StoredEvent


@dataclass(frozen=True, slots=True)
class Row:
    learner_id: str
    name: str
    workshop: str | None
    module: str            # its number, e.g. "01"
    title: str
    done: int              # exercises answered, and knowledge checks passed (records.progress)
    total: int
    average_score: int | None       # percent: the mean of the best score of each exercise done
    check_passed: bool | None       # the module's own check, where the certificate rule names one
    first_activity: str | None      # dates, YYYY-MM-DD
    last_activity: str | None
    completed_on: str | None
    certificate: str | None
    certificate_check: str | None = None   # certificate.certificate_trust(): verified, untrusted, altered, other-key


def headers(lang: str, include_workshops: bool) -> list[str]:
    tr = translator(lang)
    names = [tr.pgettext("report column", "Learner ID"), tr.pgettext("report column", "Name")]
    if include_workshops:
        names.append(tr.pgettext("report column", "Workshop code"))
    return names + [
        tr.pgettext("report column", "Module"), tr.pgettext("report column", "Module title"),
        tr.pgettext("report column", "Exercises done"), tr.pgettext("report column", "Exercises in module"),
        tr.pgettext("report column", "Average score (%)"), tr.pgettext("report column", "Module check passed"),
        tr.pgettext("report column", "First activity"), tr.pgettext("report column", "Last activity"),
        tr.pgettext("report column", "Module completed on"), tr.pgettext("report column", "Certificate code"),
        tr.pgettext("report column", "Certificate checked"),
    ]


def trust_text(status: str | None, lang: str) -> str:
    """What the report and the Staff training tab say about a certificate's signature, in `lang`."""
    tr = translator(lang)
    return {
        None: "",
        "verified": tr.pgettext("certificate check", "verified"),
        "untrusted": tr.pgettext("certificate check", "NOT verified: signed with a key not trusted here"),
        "altered": tr.pgettext("certificate check", "NOT verified: changed since it was signed"),
        "other-key": tr.pgettext("certificate check", "cannot be checked here: issued on another computer"),
    }[status]


def training_rows(store: RecordStore, lang: str, *, include_workshops: bool = False,
                  root: Path | None = None) -> list[Row]:
    """Every person's progress through every module (modules with exercises), in `lang`'s titles; completion by
    the course's one definition (records.progress)."""
    notebooks = root / "notebooks" if root else None
    titles = {p.page: p for p in pages(notebooks) if p.lang == lang and p.kind == "module"}
    rule = [r for r in completion_rule(notebooks) if r.steps and r.page in titles]
    names = {x.learner_id: x.name or "" for x in store.learners()}
    certificates = learner_certificates(store)
    groups: dict[tuple[str, str | None], list[StoredEvent]] = {}
    for event in store.events(include_workshops=include_workshops):
        groups.setdefault((event.learner_id, event.workshop), []).append(event)
    rows = []
    for (learner_id, workshop), events in sorted(groups.items(), key=lambda g: (names.get(g[0][0], "").casefold(),
                                                                                g[0][0], g[0][1] or "")):
        for requirement in rule:
            info = titles[requirement.page]
            state = module_state(requirement, events)
            ids = {*requirement.answer, *requirement.passes}
            mine = [e for e in events if e.exercise_id in ids]
            best: dict[str, float] = {}
            for e in mine:
                best[e.exercise_id] = max(best.get(e.exercise_id, 0.0), e.score)
            rows.append(Row(
                learner_id=learner_id, name=names.get(learner_id, ""), workshop=workshop,
                module=f"{requirement.number:02d}", title=info.title, done=state.done, total=state.total,
                average_score=round(100 * sum(best.values()) / len(best)) if best else None,
                check_passed=state.check_passed,
                first_activity=min(e.finished_at for e in mine)[:10] if mine else None,
                last_activity=max(e.finished_at for e in mine)[:10] if mine else None,
                completed_on=state.completed_on.isoformat() if state.completed_on else None,
                certificate=(None if workshop or not requirement.required or learner_id not in certificates
                             else certificates[learner_id][0]),
                certificate_check=(None if workshop or not requirement.required or learner_id not in certificates
                                   else certificates[learner_id][1])))
    return rows


def learner_certificates(store: RecordStore) -> dict[str, tuple[str, str]]:
    """Each learner's certificate (its code, shown with dashes, and certificate_trust()): a verified one before
    any other, then the latest."""
    from .certificate import certificate_trust, local_hmac_key
    from .signing import trusted_public_keys

    found = store.certificates()  # oldest first
    if not found:
        return {}
    trusted, hmac_key = trusted_public_keys(store), local_hmac_key()
    best: dict[str, tuple[str, str]] = {}
    for cert in found:
        status = certificate_trust(cert, trusted, hmac_key)
        if status == "verified" or best.get(cert.learner_id, ("", ""))[1] != "verified":
            best[cert.learner_id] = (format_code(cert.code), status)
    return best


def as_cells(row: Row, lang: str, include_workshops: bool, *, spreadsheet: bool = True) -> list[str]:
    """A row's cells as text; for a spreadsheet, text that could start a formula is made plain text."""
    tr = translator(lang)
    yes, no = tr.pgettext("report value", "yes"), tr.pgettext("report value", "no")
    safe = spreadsheet_safe if spreadsheet else (lambda text: text)
    cells = [row.learner_id, safe(row.name)]
    if include_workshops:
        cells.append(row.workshop or "")
    return cells + [
        row.module, safe(row.title), str(row.done), str(row.total),
        "" if row.average_score is None else str(row.average_score),
        "" if row.check_passed is None else (yes if row.check_passed else no),
        row.first_activity or "", row.last_activity or "", row.completed_on or "", row.certificate or "",
        trust_text(row.certificate_check, lang),
    ]


def filter_rows(rows: list[Row], *, learner_id: str | None = None, module: str | None = None,
                completed: bool | None = None) -> list[Row]:
    """The rows of one person and/or one module (its number), completed or not; None means any."""
    return [r for r in rows if (learner_id is None or r.learner_id == learner_id)
            and (module is None or r.module == module)
            and (completed is None or (r.completed_on is not None) == completed)]


def rows_csv(rows: list[Row], lang: str, include_workshops: bool) -> str:
    """Rows as CSV text (UTF-8; write it with a byte-order mark so spreadsheets read ŵ and ŷ)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(lang, include_workshops))
    for row in rows:
        writer.writerow(as_cells(row, lang, include_workshops))
    return out.getvalue()


def report_csv(store: RecordStore, lang: str, *, include_workshops: bool = False, root: Path | None = None) -> str:
    """The whole report as CSV text."""
    return rows_csv(training_rows(store, lang, include_workshops=include_workshops, root=root), lang,
                    include_workshops)
