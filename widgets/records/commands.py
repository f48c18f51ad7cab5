"""`fmse-course records ...`: export, import, purge, delete, verify, report, certificate, repair, key, trust-key,
path.

cli.py adds the `records` group with `add_parser(sub, tr)`; everything else is here. Help and messages are in the
terminal's language (widgets/cli_lang.py), through the catalogue; modules are named by their titles in it.
"""
from __future__ import annotations

from contextlib import closing

import argparse
import sys
from datetime import date
from pathlib import Path

from ..cli_lang import parsing_translator
from ..i18n import translator
from ..languages import LANGS, WELSH_FIRST
from .errors import RecordsError
from .store import LEARNER_ID, Learner


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(parsing_translator().gettext(
            "{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2025-09-01").format(text=text)) from None


def add_parser(sub, tr=None) -> None:
    """The `records` group and its actions, their help in tr's language (English by default)."""
    tr = tr or translator("en")
    _ = tr.gettext  # `_` is extracted like gettext (widgets/i18n_tools.py)
    records = sub.add_parser(
        "records", help=_("learner records: export, import, report, certificates, purge and delete"),
        description=_("Learner records are kept in records.sqlite3 in the data folder (FMSE_DATA_DIR changes the "
                      "folder). They hold learners' names (if given), which exercises they completed, the option "
                      "ids they chose, scores and dates: never free text, never anything about a child."))
    actions = records.add_subparsers(dest="action", required=True, metavar="ACTION")

    export = actions.add_parser("export", help=_("write the records to a file to carry to another computer"),
                                description=_("Write this computer's records (or one learner's) to a file. JSON "
                                              "keeps everything and is what `records import` reads best; CSV has "
                                              "one row per exercise, for a spreadsheet."))
    export.add_argument("--out", type=Path, metavar="FILE",
                        help=_("where to write (default fmse-records-DATE.json here; a .csv name writes CSV)"))
    export.add_argument("--format", choices=("json", "csv"), help=_("json or csv (default: from the file name)"))
    export.add_argument("--learner", metavar="ID", help=_("only this learner's records"))

    imp = actions.add_parser("import", help=_("merge records exported on other computers (no duplicates)"),
                             description=_("Merge exported records files into this computer's records. Only "
                                           "files signed with a trusted key are merged (this computer's own, or "
                                           "one registered with `records trust-key`); unsigned, altered or "
                                           "untrusted files are named and left out. Importing the same file twice "
                                           "adds nothing; records of people deleted here, or older than a purge "
                                           "here, are left out."))
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--accept-untrusted", action="store_true",
                     help=_("merge unsigned, altered and untrusted files too (their certificates still show as "
                            "not verified)"))

    actions.add_parser("key", help=_("show this computer's public key (to give to whoever imports your records)"),
                       description=_("Show the public key of this data folder (made on first use) and the public "
                                     "keys it trusts. Certificates and exports made here are signed with the "
                                     "matching private key (signing.key, readable by you only)."))

    trust = actions.add_parser("trust-key", help=_("trust certificates and exports signed with a public key"),
                               description=_("Trust a public key: give the key (as `records key` shows it on the "
                                             "other computer) or an export signed with it. Check with its owner "
                                             "that the key is theirs before trusting it. Anyone who holds the "
                                             "matching private key can sign certificates this computer will show "
                                             "as verified."))
    trust.add_argument("key", metavar="KEY_OR_FILE", help=_("a public key (64 characters) or a signed export file"))
    trust.add_argument("--label", metavar="TEXT", help=_("whose key it is, e.g. \"Alys's laptop\""))
    trust.add_argument("--remove", action="store_true", help=_("stop trusting this key"))

    purge = actions.add_parser("purge", help=_("delete every record dated before a day"),
                               description=_("Delete every exercise, completion and certificate record dated "
                                             "before DATE, and learners left with no records. Importing older "
                                             "files later will not bring them back."))
    purge.add_argument("--before", type=_day, required=True, metavar="DATE", help="YYYY-MM-DD")

    delete = actions.add_parser("delete", help=_("delete one person and all their records"),
                                description=_("Delete one person and all their records, by learner id or by name. "
                                              "Importing older files later will not bring them back."))
    who = delete.add_mutually_exclusive_group(required=True)
    who.add_argument("--learner", metavar="ID", help=_("the learner id (32 characters, see `records report`)"))
    who.add_argument("--name", metavar="NAME", help=_("the learner's name, exactly as recorded"))

    verify = actions.add_parser("verify", help=_("say whether a certificate's verification code is genuine"),
                                description=_("Check a certificate's verification code against the records: "
                                              "genuine only if its signature is right and made with a key this "
                                              "data folder trusts (its own, or one added with `records "
                                              "trust-key`). Exit status 0 means genuine."))
    verify.add_argument("code", metavar="CODE", help=_("the code on the certificate, e.g. ABCDE-FGHIJ-KLMNO-PQRST"))
    verify.add_argument("--name", metavar="NAME", help=_("also check the name printed on the certificate"))

    report = actions.add_parser("report", help=_("write the staff-training report (CSV, English or Welsh)"),
                                description=_("Completion by module and person, with scores and dates, for the "
                                              "setting's training records. Workshop participants are left out "
                                              "unless --include-workshops is given."))
    report.add_argument("--lang", choices=LANGS,
                        help=_("column headers and module titles in English (en, the default) or Welsh (cy)"))
    report.add_argument("--out", type=Path, metavar="FILE", help=_("where to write (default: print it)"))
    report.add_argument("--include-workshops", action="store_true",
                        help=_("add workshop participants' records, with their workshop code"))

    cert = actions.add_parser("certificate", help=_("write a learner's certificate (PDF) once they have earned it"),
                              description=_("A learner earns a certificate by completing the course: modules "
                                            "00-07, with each module's knowledge check and the final check "
                                            "passed (docs/completion.md)."))
    who = cert.add_mutually_exclusive_group(required=True)
    who.add_argument("--learner", metavar="ID")
    who.add_argument("--name", metavar="NAME")
    cert.add_argument("--lang", choices=("cy", "en", "both"), default="both",
                      help=_("Welsh, English, or both with Welsh first (default both)"))
    cert.add_argument("--out", type=Path, metavar="FILE", help=_("where to write (default: a file here)"))

    actions.add_parser("repair", help=_("save what can be read from a damaged records file into a new one"),
                       description=_("Check the records file in full. If it is damaged, copy it aside "
                                     "(records-damaged-DATE.sqlite3, kept unchanged), save every record that can "
                                     "still be read into a new records file, and say what was saved and lost. "
                                     "Close the course's pages first."))

    actions.add_parser("path", help=_("print where the records are (a file, or a database without its password)"))

    migrate = actions.add_parser(
        "migrate", help=_("create or update a shared PostgreSQL records database's tables"),
        description=_("Bring the records database to this version of the course: the one named by --url, else "
                      "FMSE_RECORDS_URL, else records_url in the setting file. A PostgreSQL database is changed "
                      "only by this command (back it up first: docs/deploy.md); an SQLite file is updated whenever "
                      "it is opened. Running it twice changes nothing."))
    migrate.add_argument("--url", metavar="URL", help=_("postgresql://user@host:port/dbname or a file path"))
    _setting_options(migrate, _)

    copy = actions.add_parser(
        "copy", help=_("copy this computer's records into a shared store (no duplicates)"),
        description=_("Copy every learner, answer, completion and certificate from this computer's records (or "
                      "--from) into the store at --to, and the public keys trusted here. Records already there are "
                      "left as they are, so copying twice adds nothing. The store at --to must be migrated first "
                      "(fmse-course records migrate --url URL)."))
    copy.add_argument("--to", required=True, metavar="URL", help=_("postgresql://user@host:port/dbname or a path"))
    copy.add_argument("--from", dest="source", metavar="URL",
                      help=_("where to copy from (default: this computer's records)"))
    _setting_options(copy, _)
    service = actions.add_parser(
        "service", help=_("on a hub: serve the records to users' servers as the service fmse-records"),
        description=_("Started by `fmse-course hub` (a JupyterHub managed service named fmse-records, under its "
                      "own Unix account). Reads the store's URL from FMSE_RECORDS_URL in its own environment, "
                      "checks each caller's hub token and answers only what their role allows (docs/deploy.md)."))
    service.add_argument("--port", type=int, default=8870, metavar="PORT", help=_("port (default 8870)"))
    service.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS", help=_("address (default 127.0.0.1)"))
    records.set_defaults(func=run)


def cmd_service(args: argparse.Namespace) -> int:
    from ..hub.service import run as run_service

    run_service(args.port, args.bind)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.action == "service":
        return cmd_service(args)
    tr = _tr(args)
    try:
        return ACTIONS[args.action](args)
    except RecordsError as exc:
        print(tr.gettext("Problem: {message}").format(message=exc.message(_lang(args))), file=sys.stderr)
        return 1


def _lang(args) -> str:
    return getattr(args, "output_lang", None) or "en"


def _tr(args):
    return translator(_lang(args))


def _store():
    from .recorder import open_store

    return open_store()


def _write(path: Path, data: bytes, tr) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise RecordsError("invalid", detail=tr.gettext("cannot write {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None


def cmd_export(args) -> int:
    from .exchange import to_csv, to_json

    tr = _tr(args)
    out = args.out or Path(f"fmse-records-{date.today().isoformat()}.{args.format or 'json'}")
    fmt = args.format or ("csv" if out.suffix.lower() == ".csv" else "json")
    with _store() as store:
        if args.learner and store.learner(args.learner) is None:
            raise RecordsError("invalid", detail=tr.gettext("there is no learner {learner} in {path}").format(
                learner=args.learner, path=store.location))
        bundle = store.export([args.learner] if args.learner else None)
    note = ""
    if fmt == "csv":
        text = to_csv(bundle)
        note = " " + tr.gettext("CSV files are not signed: to carry records to another computer, export JSON.")
    else:
        try:
            text = to_json(bundle)
        except RecordsError as exc:  # no signing key here, and none can be made (a read-only folder)
            text = to_json(bundle, signed=False)
            note = " " + tr.gettext("NOT SIGNED ({reason}): the importer must use --accept-untrusted.").format(
                reason=exc.detail)
    _write(out, text.encode("utf-8"), tr)
    print(tr.gettext("Wrote {events} exercise record(s) of {learners} learner(s) to {path} ({format}).").format(
        events=len(bundle.events), learners=len(bundle.learners), path=out, format=fmt) + note)
    return 0


def left_out(state: str, tr) -> str:
    """Why an import file was left out, in tr's language; {key} and {path} are filled in by the caller."""
    return {
        "unsigned": tr.gettext("LEFT OUT: the file is not signed (a CSV file, or an export from an earlier version "
                               "of the course). If you know where it came from, import it with "
                               "--accept-untrusted."),
        "altered": tr.gettext("LEFT OUT: the file has been changed since it was signed (its signature does not "
                              "match). Ask for a fresh export."),
        "untrusted": tr.gettext("LEFT OUT: signed with a key this computer does not trust ({key}). If its owner "
                                "confirms that `fmse-course records key` on their computer shows this key, run "
                                "`fmse-course records trust-key {path}` and import again."),
    }[state]


def cmd_import(args) -> int:
    from .exchange import read_export
    from .signing import shown, trusted_public_keys

    tr = _tr(args)
    received = [(path, read_export(path)) for path in args.files]  # every file is checked before any is merged
    skipped = 0
    with _store() as store:
        trusted = trusted_public_keys(store)
        for path, found in received:
            state = found.signature
            if state == "signed":
                state = "trusted" if found.public_key in trusted else "untrusted"
            if state != "trusted":
                if not args.accept_untrusted:
                    print(f"{path}: " + left_out(state, tr).format(key=shown(found.public_key), path=path))
                    skipped += 1
                    continue
                print(f"{path}: " + {"unsigned": tr.gettext("unsigned (merged because of --accept-untrusted)."),
                                     "altered": tr.gettext("altered (merged because of --accept-untrusted)."),
                                     "untrusted": tr.gettext("untrusted (merged because of --accept-untrusted).")
                                     }[state])
            counts = store.merge(found.bundle)
            said = tr.gettext("added {learners} learner(s), {events} exercise record(s), {completions} module "
                              "completion(s), {certificates} certificate(s)").format(
                learners=counts.learners, events=counts.events, completions=counts.completions,
                certificates=counts.certificates)
            if counts.skipped:
                said += tr.gettext("; left out {n} deleted or purged record(s)").format(n=counts.skipped)
            if not counts.total():
                said += " " + tr.gettext("(nothing new)")
            print(f"{path}: {said}.")
            if counts.conflicts:
                shown_ids = ", ".join(counts.conflicts[:5]) + (" ..." if len(counts.conflicts) > 5 else "")
                print(f"{path}: " + tr.gettext("{n} record(s) have the id of a different record already here; the "
                                               "one here was kept ({ids}).").format(n=len(counts.conflicts),
                                                                                    ids=shown_ids))
    return 1 if skipped else 0


def cmd_key(args) -> int:
    """On a laptop: this data folder's key. On a shared store: the deployment's key held in the store (which signs
    every certificate made on any of the deployment's course servers) first, then this data folder's own key
    (which still signs the exports made here), each named as what it is."""
    from .signing import key_id, own_public_key, public_bytes, shown, signing_key_path, store_private_key

    tr = _tr(args)
    with _store() as store:
        keys = store.trusted_keys()
        shared = getattr(store, "deployment_key", None) is not None
        deployment = public_bytes(store_private_key(store)).hex() if shared else None
        location = store.location
    if deployment is not None:
        print(tr.gettext("This deployment's public key (id {id}), held in the shared records store {where}, not "
                         "in this data folder:").format(id=key_id(deployment), where=location)
              + f"\n  {shown(deployment)}\n"
              + tr.gettext("Every course server of this deployment signs certificates with it and verifies them "
                           "under it. Whoever can read the database can read its private key: keep the database "
                           "URL private."))
    own = own_public_key(create=True)
    assert own is not None
    print((tr.gettext("This data folder's public key, which signs the exports made here (id {id}):")
           if deployment is not None else
           tr.gettext("This computer's public key (id {id}):")).format(id=key_id(own)) + f"\n  {shown(own)}\n"
          + tr.gettext("Give it to whoever imports your records; they compare it with what `fmse-course records "
                       "import` shows and run `fmse-course records trust-key`. The private key is {path}: never "
                       "share it.").format(path=signing_key_path()))
    if keys:
        print(tr.gettext("Trusted here:"))
        for k in keys:
            details = ", ".join([f"id {k.key_id}", *([k.label] if k.label else []),
                                 tr.gettext("since {day}").format(day=k.trusted_at[:10])])
            print(f"  {shown(k.public_key)}  ({details})")
    else:
        print(tr.gettext("No other keys are trusted here."))
    return 0


def cmd_trust_key(args) -> int:
    from .exchange import read_export
    from .signing import key_id, parse_public_key, shown

    tr = _tr(args)
    key = parse_public_key(args.key)
    if key is None:
        path = Path(args.key)
        if not path.is_file():
            raise RecordsError("invalid", detail=tr.gettext(
                "{key!r} is neither a public key (64 characters 0-9, a-f, as `fmse-course records key` shows it) "
                "nor a file").format(key=args.key))
        found = read_export(path)
        if found.signature != "signed":
            raise RecordsError("invalid", detail=tr.gettext(
                "{path} is {state}: only a correctly signed export can name a key to trust").format(
                path=path, state=found.signature))
        key = found.public_key
    label = f", {args.label}" if args.label else ""
    with _store() as store:
        if args.remove:
            done = store.untrust_key(key)
            print(tr.gettext("No longer trusting {key} (id {id}).").format(key=shown(key), id=key_id(key)) if done
                  else tr.gettext("{key} was not trusted here.").format(key=shown(key)))
            return 0
        added = store.trust_key(key, args.label or "")
    print((tr.gettext("Now trusting {key} (id {id}){label}.") if added else
           tr.gettext("Already trusted: {key} (id {id}){label}.")).format(key=shown(key), id=key_id(key), label=label))
    return 0


def cmd_purge(args) -> int:
    tr = _tr(args)
    with _store() as store:
        counts = store.purge(args.before)
    print(tr.gettext("Deleted, from before {day}: {events} exercise record(s), {completions} module completion(s), "
                     "{certificates} certificate record(s), {workshops} workshop(s) with their participants' "
                     "nicknames, {learners} learner(s) left with no records.").format(
        day=args.before.isoformat(), **counts))
    return 0


def _one_learner(store, learner_id: str | None, name: str | None, tr=None) -> Learner:
    tr = tr or translator("en")
    if learner_id is not None:
        if not LEARNER_ID.match(learner_id) or store.learner(learner_id) is None:
            raise RecordsError("invalid", detail=tr.gettext("there is no learner {learner!r} in {path}").format(
                learner=learner_id, path=store.location))
        found = store.learner(learner_id)
        assert found is not None
        return found
    wanted = " ".join((name or "").split()).casefold()
    matches = [x for x in store.learners() if x.name and x.name.casefold() == wanted]
    if not matches:
        raise RecordsError("invalid", detail=tr.gettext("nobody named {name!r} is in {path}").format(
            name=name, path=store.location))
    if len(matches) > 1:
        ids = ", ".join(x.learner_id for x in matches)
        raise RecordsError("invalid", detail=tr.gettext("{n} learners are named {name!r} ({ids}): use --learner "
                                                        "ID").format(n=len(matches), name=name, ids=ids))
    return matches[0]


def cmd_delete(args) -> int:
    tr = _tr(args)
    with _store() as store:
        learner = _one_learner(store, args.learner, args.name, tr)
        counts = store.delete_learner(learner.learner_id)
    print(tr.gettext("Deleted {who} ({id}): {events} exercise record(s), {completions} module completion(s), "
                     "{certificates} certificate record(s).").format(
        who=learner.label, id=learner.learner_id, events=counts["events"], completions=counts["completions"],
        certificates=counts["certificates"]))
    return 0


def verdict(status: str, tr) -> str:
    """What `records verify` answers for a Verification's status, in tr's language ({key} filled in after)."""
    return {
        "genuine": tr.gettext("GENUINE: this certificate was issued from these records, signed with a key trusted "
                              "here, and has not been changed."),
        "untrusted": tr.gettext("NOT VERIFIED: the certificate is signed correctly, but with a key this computer "
                                "does not trust ({key}). If it is the key of the computer that issued it "
                                "(`fmse-course records key` there), trust it with `fmse-course records "
                                "trust-key` and check again."),
        "name-differs": tr.gettext("NOT GENUINE as shown: the code is real, but it was issued to another name."),
        "altered": tr.gettext("NOT GENUINE: the record behind this code has been changed since it was issued."),
        "other-key": tr.gettext("CANNOT CHECK HERE: the code was issued on another computer (another certificate "
                                "key). Check it on the computer that issued it."),
        "unknown": tr.gettext("NOT GENUINE (or not from here): no certificate with this code was issued from these "
                              "records."),
        "malformed": tr.gettext("NOT A CODE: a verification code is 20 letters and digits, e.g. "
                                "ABCDE-FGHIJ-KLMNO-PQRST."),
    }[status]


def _titles(page_ids, lang: str) -> str:
    """Modules named by their titles in `lang` (a page no longer in the course keeps its id)."""
    from .certificate import page_titles

    titles = page_titles(lang)
    return "; ".join(titles.get(page, page) for page in page_ids)


def cmd_verify(args) -> int:
    from .certificate import format_code, normalise_code, verify
    from .signing import shown

    lang = _lang(args)
    tr = translator(lang)
    with _store() as store:
        result = verify(store, args.code, name=args.name)
        learner = (result.contents or {}).get("learner_id")
        events = store.events(learner_id=learner, include_workshops=False) if isinstance(learner, str) else []
    print(verdict(result.status, tr).format(key=shown(result.public_key)))
    if result.contents and result.status in ("genuine", "name-differs"):
        c = result.contents
        lines = [tr.gettext("Issued to: {name}").format(name=c.get("name")),
                 tr.gettext("Completed on: {day}").format(day=c.get("completed_on")),
                 tr.gettext("Modules: {titles}").format(titles=_titles(c.get("pages", []), lang))]
        if c.get("setting"):
            lines.append(tr.gettext("Setting: {setting}").format(setting=c["setting"]))
        lines.append(tr.gettext("Code: {code}").format(code=format_code(normalise_code(args.code) or "")))
        print("\n".join(lines))
        print(_records_say(events, lang))
    return 0 if result.genuine else 1


def _records_say(events, lang: str = "en") -> str:
    """What the records show today, by the course's definition of completion (records.progress)."""
    from .progress import PageListError, completion_rule, course_state

    tr = translator(lang)
    try:
        course = course_state(completion_rule(), events)
    except PageListError as exc:
        return tr.gettext("The records' completion cannot be worked out: {reason}").format(reason=exc)
    if course.completed_on is not None:
        return tr.gettext("The records show the course completed on {day}.").format(
            day=course.completed_on.isoformat())
    return tr.gettext("The records do not show the course completed now (still to do: {titles}).").format(
        titles=_titles(course.missing, lang))


def cmd_report(args) -> int:
    from .report import report_csv

    tr = _tr(args)
    with _store() as store:
        text = report_csv(store, args.lang or "en", include_workshops=args.include_workshops)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    _write(args.out, text.encode("utf-8-sig"), tr)  # the byte-order mark tells spreadsheets it is UTF-8 (ŵ, ŷ)
    print(tr.gettext("Wrote the staff-training report to {path}.").format(path=args.out))
    return 0


def cmd_certificate(args) -> int:
    from ..setting import load_setting
    from .certificate import file_name, format_code, issue, render_pdf

    tr = _tr(args)
    langs = {"cy": ("cy",), "en": ("en",), "both": WELSH_FIRST}[args.lang]
    setting = load_setting(langs[0])
    with _store() as store:
        learner = _one_learner(store, args.learner, args.name, tr)
        issued = issue(store, learner.learner_id, setting_name=setting.name if setting.is_set else None)
    out = args.out or Path(file_name(issued.contents, langs))
    _write(out, render_pdf(issued.contents, issued.code, langs), tr)
    print(tr.gettext("Wrote the certificate of {who} to {path} (verification code {code}).").format(
        who=learner.label, path=out, code=format_code(issued.code)))
    return 0


def cmd_repair(args) -> int:
    from .repair import repair
    from .sqlite import records_path

    tr = _tr(args)
    path = records_path()
    result = repair(path)
    if result.sound:
        print(tr.gettext("{path} is sound: nothing to repair.").format(path=path))
        return 0
    saved = sum(result.saved.values())
    lost = sum(result.lost.values())
    print(tr.gettext("{path} was damaged. The damaged file is kept, unchanged, as {kept}.").format(
        path=path, kept=result.kept))
    print(tr.gettext("Saved {n} record(s) into a new {name}: {tables}.").format(
        n=saved, name=path.name,
        tables=", ".join(f"{n} {table}" for table, n in result.saved.items() if n) or tr.gettext("none")))
    if lost or result.unreadable:
        tables = ", ".join(f"{n} {table}" for table, n in result.lost.items() if n)
        unreadable = (tr.gettext("; could not read: {tables}").format(tables=", ".join(result.unreadable))
                      if result.unreadable else "")
        print(tr.gettext("Could not save about {n} record(s) ({tables}){unreadable}. Records exported earlier "
                         "(fmse-course records export) can be imported again to fill gaps.").format(
            n=lost, tables=tables, unreadable=unreadable))
    return 0


def cmd_path(args) -> int:
    from .recorder import records_url
    from .sqlite import records_path

    url = records_url()
    if url is None:
        print(records_path())
    else:
        from .postgres import public_location

        print(public_location(url) if "://" in url else url)
    return 0


def _setting_options(parser, _) -> None:
    parser.add_argument("--setting", metavar="ID",
                        help=_("the setting these records belong to, e.g. ysgol-y-bryn (default: setting_id in the "
                               "setting file; asked for if neither); records without a setting are assigned to it"))
    parser.add_argument("--name-en", metavar="NAME",
                        help=_("the setting's name in English (default: its name in the setting file)"))
    parser.add_argument("--name-cy", metavar="NAME", help=_("the setting's name in Welsh (default: as in English)"))


def _setting(args) -> tuple[str, str, str]:
    """The setting id and names for migrate/copy: --setting, the setting file, or asked for at the terminal.
    The id is saved in the setting file, so the next run (and the pages) know it."""
    from ..setting import SETTING_ID, read_values, save_values

    tr = _tr(args)
    values = read_values()
    setting_id = args.setting or values.get("setting_id")
    while not setting_id:
        if not sys.stdin.isatty():
            raise RecordsError("invalid", detail=tr.gettext("these records have no setting yet: give it with "
                                                            "--setting ID (e.g. --setting ysgol-y-bryn)"),
                               lang=_lang(args))
        answer = input(tr.gettext("Which setting do these records belong to? An id of lowercase letters, digits "
                                  "and hyphens, e.g. ysgol-y-bryn: ")).strip()
        setting_id = answer if SETTING_ID.match(answer) else None
    from .store import check_setting_id

    check_setting_id(setting_id)
    name_en = args.name_en or values.get("name") or setting_id
    name_cy = args.name_cy or name_en
    if values.get("setting_id") != setting_id:
        save_values({"setting_id": setting_id})
    return setting_id, name_en, name_cy


def cmd_migrate(args) -> int:
    from .recorder import records_url, store_at
    from .sqlite import records_path

    target = args.url or records_url() or records_path()
    with closing(store_at(target, migrate=True)) as store:
        before = getattr(store, "migrated_from", None)
        version = store.schema_version()
        tr = _tr(args)
        print((tr.gettext("The records at {where} are at version {version} (were at {before}).")
               if before is not None and before != version else
               tr.gettext("The records at {where} are at version {version} (nothing to change).")).format(
            where=store.location, version=version, before=before))
        if store.learners() or args.setting:
            setting_id, name_en, name_cy = _setting(args)
            if setting_id not in {s.setting_id for s in store.education_settings()} or args.name_en or args.name_cy:
                store.add_setting(setting_id, name_en, name_cy)
            assigned = store.assign_setting(setting_id)
            print(tr.gettext("Setting {id}: {n} learner(s) without a setting assigned to it.").format(
                id=setting_id, n=assigned))
    return 0


def cmd_copy(args) -> int:
    from .recorder import open_store, store_at

    with closing(store_at(args.source) if args.source else open_store()) as source, closing(store_at(args.to)) as target:
        if source.location == target.location:
            raise RecordsError("invalid", detail=f"--to names the records being copied ({source.location})")
        setting_id, name_en, name_cy = _setting(args)
        if setting_id not in {s.setting_id for s in target.education_settings()} or args.name_en or args.name_cy:
            target.add_setting(setting_id, name_en, name_cy)
        bundle = source.export()
        counts = target.merge(bundle)
        keys = sum(target.trust_key(k.public_key, k.label) for k in source.trusted_keys())
        target.assign_setting(setting_id, [x.learner_id for x in bundle.learners
                                           if target.setting_of(x.learner_id) == ""])
        tr = _tr(args)
        print(tr.gettext("Copied from {source} to {target}: {learners} learner(s), {events} answer(s), "
                         "{completions} module completion(s), {certificates} certificate(s), {keys} trusted "
                         "key(s); the rest were there already.").format(
            source=source.location, target=target.location, learners=counts.learners, events=counts.events,
            completions=counts.completions, certificates=counts.certificates, keys=keys))
        if counts.skipped:
            print(tr.gettext("Left out {n} record(s) of people deleted there, or older than a purge there.").format(
                n=counts.skipped))
        if counts.conflicts:
            print(tr.gettext("{n} record(s) differ from the one with the same id there; the one there was kept: "
                             "{ids}").format(n=len(counts.conflicts), ids=", ".join(counts.conflicts[:5])))
    return 0


ACTIONS = {"export": cmd_export, "import": cmd_import, "purge": cmd_purge, "delete": cmd_delete,
           "verify": cmd_verify, "report": cmd_report, "certificate": cmd_certificate, "repair": cmd_repair,
           "key": cmd_key, "trust-key": cmd_trust_key, "path": cmd_path,
           "migrate": cmd_migrate, "copy": cmd_copy}
