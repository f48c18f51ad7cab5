"""RecordsError: what is wrong with the learner records and what to do, in the page's language."""
from __future__ import annotations

from ..i18n import translator

KINDS = ("locked", "read-only", "missing", "corrupt", "full", "newer", "foreign", "invalid", "failed", "schema",
         "unreachable", "forbidden", "no-setting", "several-settings", "setting-too-long", "setting-invalid",
         "la-lead-own")
# On a hub, why the records service keeps no records for a user (widgets/hub/roles.py, service.py): their answers
# are kept for the page only, and each says why (records.recorder.UnkeptRecorder).
UNKEPT = frozenset({"no-setting", "several-settings", "setting-too-long", "setting-invalid", "la-lead-own"})


def _templates(lang: str) -> dict[str, str]:
    tr = translator(lang)
    return {
        "locked": tr.gettext(
            "The learning records file is busy: another course page or program is writing to it ({path}). Your "
            "answer was not saved; everything saved before is safe. Wait a minute and answer again. If this "
            "keeps happening, close other course windows."),
        "read-only": tr.gettext(
            "The learning records file cannot be written to: it or its folder is read-only ({path}). Your answer "
            "was not saved; everything saved before is safe. Ask whoever looks after this computer to let you "
            "write there, or set FMSE_DATA_DIR to a folder you can write to."),
        "missing": tr.gettext(
            "The folder for the learning records cannot be created ({path}). Your answer was not saved. Set "
            "FMSE_DATA_DIR to a folder you can write to, or ask whoever looks after this computer."),
        "corrupt": tr.gettext(
            "The learning records file is damaged ({path}), so nothing is written to it. Your answer was not "
            "saved, and nothing has been deleted. Run fmse-course records repair (or ask whoever looks after "
            "this computer to): it copies everything that can still be read into a new records file and keeps "
            "the damaged one beside it."),
        "full": tr.gettext(
            "The learning records could not be saved because the disk is full ({path}). Your answer was not "
            "saved; everything saved before is safe. Free some space and answer again."),
        "newer": tr.gettext(
            "The learning records file was made by a newer version of the course (records version {found}; this "
            "version knows up to {known}) ({path}). Nothing was changed. Update the course, or set FMSE_DATA_DIR "
            "to another folder."),
        "foreign": tr.gettext(
            "The file {path} is not a learning records file of this course ({detail}). Nothing was changed. Move "
            "it aside, or set FMSE_DATA_DIR to another folder."),
        "schema": tr.gettext(
            "The shared learning records database ({path}) has records version {found}; this version of the course "
            "works with version {known}. Nothing was changed. If the database is older, whoever looks after the "
            "records runs fmse-course records migrate; if it is newer, update the course first."),
        "unreachable": tr.gettext(
            "Not saved yet: the shared learning records database cannot be reached ({path}). This page keeps your "
            "answer and tries again; everything saved before is safe. {detail}"),
        "forbidden": tr.gettext("Your role in the learning records does not allow this: {detail}."),
        "no-setting": tr.gettext(
            "Your answer was not saved: your account is not in a setting group on the hub yet, and the course keeps "
            "each person's training records in their setting. Ask the hub's administrator to add you to your "
            "setting's group (fmse-setting-…); your answers are saved from then on."),
        "several-settings": tr.gettext(
            "Your answer was not saved: your account is in more than one setting group on the hub, so the course "
            "cannot tell which setting your training records belong to. Ask the hub's administrator to leave you in "
            "one fmse-setting-… group."),
        "setting-too-long": tr.gettext(
            "Your answer was not saved: the name of your setting group on the hub ({detail}) is too long. A setting "
            "id, the part after fmse-setting-, is at most 40 characters. Ask the hub's administrator to give the "
            "group a shorter name."),
        "setting-invalid": tr.gettext(
            "Your answer was not saved: the name of your setting group on the hub ({detail}) is not one the course "
            "can use. A setting id, the part after fmse-setting-, is 1 to 40 lower-case letters, digits and "
            "hyphens. Ask the hub's administrator to rename the group."),
        "la-lead-own": tr.gettext(
            "Your answer was not saved: an account in the hub's fmse-la-lead group sees counts per setting and keeps "
            "no training records of its own. To take the course with your answers saved, use an account in a "
            "setting group (ask the hub's administrator)."),
        "invalid": tr.gettext("This could not be recorded: {detail}"),
        "failed": tr.gettext("The learning records could not be saved ({path}): {detail}"),
    }


class RecordsError(RuntimeError):
    """A problem with the learner records. `str()` gives the message in `lang`; `kind` says which problem."""

    def __init__(self, kind: str, *, path: object = "", detail: str = "", found: object = "",
                 known: object = "", lang: str = "en") -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown records problem {kind!r}")
        self.kind, self.path, self.detail, self.found, self.known, self.lang = (
            kind, str(path), detail, found, known, lang)
        super().__init__(self.message(lang))

    def message(self, lang: str) -> str:
        return _templates(lang)[self.kind].format(path=self.path, detail=self.detail, found=self.found,
                                                  known=self.known)

    def in_language(self, lang: str) -> RecordsError:
        """The same problem, told in `lang`."""
        return RecordsError(self.kind, path=self.path, detail=self.detail, found=self.found, known=self.known,
                            lang=lang)

    def __str__(self) -> str:
        return self.message(self.lang)
