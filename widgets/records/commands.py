"""`fmse-course records ...`: export, import, purge, delete, verify, report, certificate, repair, key, trust-key,
path.

cli.py adds the `records` group with `add_parser(sub)`; everything else is here.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..languages import LANGS, WELSH_FIRST
from .errors import RecordsError
from .store import LEARNER_ID, Learner


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2025-09-01") from None


def add_parser(sub) -> None:
    records = sub.add_parser(
        "records", help="learner records: export, import, report, certificates, purge and delete",
        description="Learner records are kept in records.sqlite3 in the data folder (FMSE_DATA_DIR changes the "
                    "folder). They hold learners' names (if given), which exercises they completed, the option "
                    "ids they chose, scores and dates: never free text, never anything about a child.")
    actions = records.add_subparsers(dest="action", required=True, metavar="ACTION")

    export = actions.add_parser("export", help="write the records to a file to carry to another computer",
                                description="Write this computer's records (or one learner's) to a file. JSON "
                                            "keeps everything and is what `records import` reads best; CSV has "
                                            "one row per exercise, for a spreadsheet.")
    export.add_argument("--out", type=Path, metavar="FILE",
                        help="where to write (default fmse-records-DATE.json here; a .csv name writes CSV)")
    export.add_argument("--format", choices=("json", "csv"), help="json or csv (default: from the file name)")
    export.add_argument("--learner", metavar="ID", help="only this learner's records")

    imp = actions.add_parser("import", help="merge records exported on other computers (no duplicates)",
                             description="Merge exported records files into this computer's records. Only files "
                                         "signed with a trusted key are merged (this computer's own, or one "
                                         "registered with `records trust-key`); unsigned, altered or untrusted "
                                         "files are named and left out. Importing the same file twice adds "
                                         "nothing; records of people deleted here, or older than a purge here, "
                                         "are left out.")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--accept-untrusted", action="store_true",
                     help="merge unsigned, altered and untrusted files too (their certificates still show as "
                          "not verified)")

    actions.add_parser("key", help="show this computer's public key (to give to whoever imports your records)",
                       description="Show the public key of this data folder (made on first use) and the public "
                                   "keys it trusts. Certificates and exports made here are signed with the "
                                   "matching private key (signing.key, readable by you only).")

    trust = actions.add_parser("trust-key", help="trust certificates and exports signed with a public key",
                               description="Trust a public key: give the key (as `records key` shows it on the "
                                           "other computer) or an export signed with it. Check with its owner "
                                           "that the key is theirs before trusting it. Anyone who holds the "
                                           "matching private key can sign certificates this computer will show "
                                           "as verified.")
    trust.add_argument("key", metavar="KEY_OR_FILE", help="a public key (64 characters) or a signed export file")
    trust.add_argument("--label", metavar="TEXT", help="whose key it is, e.g. \"Alys's laptop\"")
    trust.add_argument("--remove", action="store_true", help="stop trusting this key")

    purge = actions.add_parser("purge", help="delete every record dated before a day",
                               description="Delete every exercise, completion and certificate record dated "
                                           "before DATE, and learners left with no records. Importing older "
                                           "files later will not bring them back.")
    purge.add_argument("--before", type=_day, required=True, metavar="DATE", help="YYYY-MM-DD")

    delete = actions.add_parser("delete", help="delete one person and all their records",
                                description="Delete one person and all their records, by learner id or by name. "
                                            "Importing older files later will not bring them back.")
    who = delete.add_mutually_exclusive_group(required=True)
    who.add_argument("--learner", metavar="ID", help="the learner id (32 characters, see `records report`)")
    who.add_argument("--name", metavar="NAME", help="the learner's name, exactly as recorded")

    verify = actions.add_parser("verify", help="say whether a certificate's verification code is genuine",
                                description="Check a certificate's verification code against the records: "
                                            "genuine only if its signature is right and made with a key this data "
                                            "folder trusts (its own, or one added with `records trust-key`). Exit "
                                            "status 0 means genuine.")
    verify.add_argument("code", metavar="CODE", help="the code on the certificate, e.g. ABCDE-FGHIJ-KLMNO-PQRST")
    verify.add_argument("--name", metavar="NAME", help="also check the name printed on the certificate")

    report = actions.add_parser("report", help="write the staff-training report (CSV, English or Welsh)",
                                description="Completion by module and person, with scores and dates, for the "
                                            "setting's training records. Workshop participants are left out "
                                            "unless --include-workshops is given.")
    report.add_argument("--lang", choices=LANGS, default="en", help="column headers and module titles in "
                                                                           "English (en) or Welsh (cy)")
    report.add_argument("--out", type=Path, metavar="FILE", help="where to write (default: print it)")
    report.add_argument("--include-workshops", action="store_true",
                        help="add workshop participants' records, with their workshop code")

    cert = actions.add_parser("certificate", help="write a learner's certificate (PDF) once they have earned it",
                              description="A learner earns a certificate by completing the course: modules "
                                          "00-07, with each module's knowledge check and the final check "
                                          "passed (docs/completion.md).")
    who = cert.add_mutually_exclusive_group(required=True)
    who.add_argument("--learner", metavar="ID")
    who.add_argument("--name", metavar="NAME")
    cert.add_argument("--lang", choices=("cy", "en", "both"), default="both",
                      help="Welsh, English, or both with Welsh first (default both)")
    cert.add_argument("--out", type=Path, metavar="FILE", help="where to write (default: a file here)")

    actions.add_parser("repair", help="save what can be read from a damaged records file into a new one",
                       description="Check the records file in full. If it is damaged, copy it aside "
                                   "(records-damaged-DATE.sqlite3, kept unchanged), save every record that can "
                                   "still be read into a new records file, and say what was saved and lost. "
                                   "Close the course's pages first.")

    actions.add_parser("path", help="print where the records file is")
    records.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        return ACTIONS[args.action](args)
    except RecordsError as exc:
        print(f"Problem: {exc}", file=sys.stderr)
        return 1


def _store():
    from .recorder import open_store

    return open_store()


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise RecordsError("invalid", detail=f"cannot write {path}: {exc.strerror or exc}") from None


def cmd_export(args) -> int:
    from .exchange import to_csv, to_json

    out = args.out or Path(f"fmse-records-{date.today().isoformat()}.{args.format or 'json'}")
    fmt = args.format or ("csv" if out.suffix.lower() == ".csv" else "json")
    with _store() as store:
        if args.learner and store.learner(args.learner) is None:
            raise RecordsError("invalid", detail=f"there is no learner {args.learner} in {store.location}")
        bundle = store.export([args.learner] if args.learner else None)
    note = ""
    if fmt == "csv":
        text = to_csv(bundle)
        note = " CSV files are not signed: to carry records to another computer, export JSON."
    else:
        try:
            text = to_json(bundle)
        except RecordsError as exc:  # no signing key here, and none can be made (a read-only folder)
            text = to_json(bundle, signed=False)
            note = f" NOT SIGNED ({exc.detail}): the importer must use --accept-untrusted."
    _write(out, text.encode("utf-8"))
    print(f"Wrote {len(bundle.events)} exercise record(s) of {len(bundle.learners)} learner(s) to {out} ({fmt})."
          + note)
    return 0


LEFT_OUT = {
    "unsigned": "LEFT OUT: the file is not signed (a CSV file, or an export from an earlier version of the "
                "course). If you know where it came from, import it with --accept-untrusted.",
    "altered": "LEFT OUT: the file has been changed since it was signed (its signature does not match). Ask for "
               "a fresh export.",
    "untrusted": "LEFT OUT: signed with a key this computer does not trust ({key}). If its owner confirms that "
                 "`fmse-course records key` on their computer shows this key, run `fmse-course records "
                 "trust-key {path}` and import again.",
}


def cmd_import(args) -> int:
    from .exchange import read_export
    from .signing import shown, trusted_public_keys

    received = [(path, read_export(path)) for path in args.files]  # every file is checked before any is merged
    left_out = 0
    with _store() as store:
        trusted = trusted_public_keys(store)
        for path, found in received:
            state = found.signature
            if state == "signed":
                state = "trusted" if found.public_key in trusted else "untrusted"
            if state != "trusted":
                if not args.accept_untrusted:
                    print(f"{path}: " + LEFT_OUT[state].format(key=shown(found.public_key), path=path))
                    left_out += 1
                    continue
                print(f"{path}: {state} (merged because of --accept-untrusted).")
            counts = store.merge(found.bundle)
            print(f"{path}: added {counts.learners} learner(s), {counts.events} exercise record(s), "
                  f"{counts.completions} module completion(s), {counts.certificates} certificate(s)"
                  + (f"; left out {counts.skipped} deleted or purged record(s)" if counts.skipped else "")
                  + ("" if counts.total() else " (nothing new)") + ".")
            if counts.conflicts:
                shown_ids = ", ".join(counts.conflicts[:5]) + (" ..." if len(counts.conflicts) > 5 else "")
                print(f"{path}: {len(counts.conflicts)} record(s) have the id of a different record already "
                      f"here; the one here was kept ({shown_ids}).")
    return 1 if left_out else 0


def cmd_key(args) -> int:
    from .signing import key_id, own_public_key, shown, signing_key_path

    with _store() as store:
        keys = store.trusted_keys()
    own = own_public_key(create=True)
    assert own is not None
    print(f"This computer's public key (id {key_id(own)}):\n  {shown(own)}\n"
          f"Give it to whoever imports your records; they compare it with what `fmse-course records import` "
          f"shows and run `fmse-course records trust-key`. The private key is {signing_key_path()}: never share it.")
    if keys:
        print("Trusted here:")
        for k in keys:
            print(f"  {shown(k.public_key)}  (id {k.key_id}" + (f", {k.label}" if k.label else "")
                  + f", since {k.trusted_at[:10]})")
    else:
        print("No other keys are trusted here.")
    return 0


def cmd_trust_key(args) -> int:
    from .exchange import read_export
    from .signing import key_id, parse_public_key, shown

    key = parse_public_key(args.key)
    if key is None:
        path = Path(args.key)
        if not path.is_file():
            raise RecordsError("invalid", detail=f"{args.key!r} is neither a public key (64 characters 0-9, a-f, as "
                                                 f"`fmse-course records key` shows it) nor a file")
        found = read_export(path)
        if found.signature != "signed":
            raise RecordsError("invalid", detail=f"{path} is {found.signature}: only a correctly signed export can "
                                                 f"name a key to trust")
        key = found.public_key
    with _store() as store:
        if args.remove:
            done = store.untrust_key(key)
            print(f"No longer trusting {shown(key)} (id {key_id(key)})." if done else
                  f"{shown(key)} was not trusted here.")
            return 0
        added = store.trust_key(key, args.label or "")
    print(("Now trusting " if added else "Already trusted: ") + f"{shown(key)} (id {key_id(key)})"
          + (f", {args.label}" if args.label else "") + ".")
    return 0


def cmd_purge(args) -> int:
    with _store() as store:
        counts = store.purge(args.before)
    print(f"Deleted, from before {args.before.isoformat()}: {counts['events']} exercise record(s), "
          f"{counts['completions']} module completion(s), {counts['certificates']} certificate record(s), "
          f"{counts['workshops']} workshop(s) with their participants' nicknames, "
          f"{counts['learners']} learner(s) left with no records.")
    return 0


def _one_learner(store, learner_id: str | None, name: str | None) -> Learner:
    if learner_id is not None:
        if not LEARNER_ID.match(learner_id) or store.learner(learner_id) is None:
            raise RecordsError("invalid", detail=f"there is no learner {learner_id!r} in {store.location}")
        found = store.learner(learner_id)
        assert found is not None
        return found
    wanted = " ".join((name or "").split()).casefold()
    matches = [x for x in store.learners() if x.name and x.name.casefold() == wanted]
    if not matches:
        raise RecordsError("invalid", detail=f"nobody named {name!r} is in {store.location}")
    if len(matches) > 1:
        ids = ", ".join(x.learner_id for x in matches)
        raise RecordsError("invalid", detail=f"{len(matches)} learners are named {name!r} ({ids}): use --learner ID")
    return matches[0]


def cmd_delete(args) -> int:
    with _store() as store:
        learner = _one_learner(store, args.learner, args.name)
        counts = store.delete_learner(learner.learner_id)
    print(f"Deleted {learner.label} ({learner.learner_id}): {counts['events']} exercise record(s), "
          f"{counts['completions']} module completion(s), {counts['certificates']} certificate record(s).")
    return 0


VERDICTS = {
    "genuine": "GENUINE: this certificate was issued from these records, signed with a key trusted here, and has "
               "not been changed.",
    "untrusted": "NOT VERIFIED: the certificate is signed correctly, but with a key this computer does not trust "
                 "({key}). If it is the key of the computer that issued it (`fmse-course records key` there), "
                 "trust it with `fmse-course records trust-key` and check again.",
    "name-differs": "NOT GENUINE as shown: the code is real, but it was issued to another name.",
    "altered": "NOT GENUINE: the record behind this code has been changed since it was issued.",
    "other-key": "CANNOT CHECK HERE: the code was issued on another computer (another certificate key). "
                 "Check it on the computer that issued it.",
    "unknown": "NOT GENUINE (or not from here): no certificate with this code was issued from these records.",
    "malformed": "NOT A CODE: a verification code is 20 letters and digits, e.g. ABCDE-FGHIJ-KLMNO-PQRST.",
}


def cmd_verify(args) -> int:
    from .certificate import format_code, normalise_code, verify

    with _store() as store:
        result = verify(store, args.code, name=args.name)
        learner = (result.contents or {}).get("learner_id")
        events = store.events(learner_id=learner, include_workshops=False) if isinstance(learner, str) else []
    from .signing import shown

    print(VERDICTS[result.status].format(key=shown(result.public_key)))
    if result.contents and result.status in ("genuine", "name-differs"):
        c = result.contents
        print(f"Issued to: {c.get('name')}\nCompleted on: {c.get('completed_on')}\n"
              f"Pages: {', '.join(c.get('pages', []))}" + (f"\nSetting: {c['setting']}" if c.get("setting") else "")
              + f"\nCode: {format_code(normalise_code(args.code) or '')}")
        print(_records_say(events))
    return 0 if result.genuine else 1


def _records_say(events) -> str:
    """What the records show today, by the course's definition of completion (records.progress)."""
    from .progress import PageListError, completion_rule, course_state

    try:
        course = course_state(completion_rule(), events)
    except PageListError as exc:
        return f"The records' completion cannot be worked out: {exc}"
    if course.completed_on is not None:
        return f"The records show the course completed on {course.completed_on.isoformat()}."
    return f"The records do not show the course completed now (still to do: {', '.join(course.missing)})."


def cmd_report(args) -> int:
    from .report import report_csv

    with _store() as store:
        text = report_csv(store, args.lang, include_workshops=args.include_workshops)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    _write(args.out, text.encode("utf-8-sig"))  # the byte-order mark tells spreadsheets it is UTF-8 (ŵ, ŷ)
    print(f"Wrote the staff-training report to {args.out}.")
    return 0


def cmd_certificate(args) -> int:
    from ..setting import load_setting
    from .certificate import file_name, format_code, issue, render_pdf

    langs = {"cy": ("cy",), "en": ("en",), "both": WELSH_FIRST}[args.lang]
    setting = load_setting(langs[0])
    with _store() as store:
        learner = _one_learner(store, args.learner, args.name)
        issued = issue(store, learner.learner_id, setting_name=setting.name if setting.is_set else None)
    out = args.out or Path(file_name(issued.contents, langs))
    _write(out, render_pdf(issued.contents, issued.code, langs))
    print(f"Wrote the certificate of {learner.label} to {out} (verification code {format_code(issued.code)}).")
    return 0


def cmd_repair(args) -> int:
    from .repair import repair
    from .sqlite import records_path

    path = records_path()
    result = repair(path)
    if result.sound:
        print(f"{path} is sound: nothing to repair.")
        return 0
    saved = sum(result.saved.values())
    lost = sum(result.lost.values())
    print(f"{path} was damaged. The damaged file is kept, unchanged, as {result.kept}.")
    print(f"Saved {saved} record(s) into a new {path.name}: "
          + (", ".join(f"{n} {table}" for table, n in result.saved.items() if n) or "none") + ".")
    if lost or result.unreadable:
        print(f"Could not save about {lost} record(s) ("
              + ", ".join(f"{n} {table}" for table, n in result.lost.items() if n) + ")"
              + (f"; could not read: {', '.join(result.unreadable)}" if result.unreadable else "")
              + ". Records exported earlier (fmse-course records export) can be imported again to fill gaps.")
    return 0


def cmd_path(args) -> int:
    from .sqlite import records_path

    print(records_path())
    return 0


ACTIONS = {"export": cmd_export, "import": cmd_import, "purge": cmd_purge, "delete": cmd_delete,
           "verify": cmd_verify, "report": cmd_report, "certificate": cmd_certificate, "repair": cmd_repair,
           "key": cmd_key, "trust-key": cmd_trust_key, "path": cmd_path}
