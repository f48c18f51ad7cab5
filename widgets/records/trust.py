"""Whether a certificate shows as verified here: one function for the report, the Staff training tab and any
other view (the heavy parts are imported only when called, so importing the records package stays light).

    from fmse_widgets.records import certificate_trust
    status = certificate_trust(certificate, store)     # "verified", "untrusted", "altered" or "other-key"
    text = trust_text(status, lang)                    # what to show, in English or Welsh

Only "verified" may be shown as verified: signed with a key this data folder trusts (its own, or one added with
`fmse-course records trust-key`) and unchanged since. For many certificates, report.learner_certificates(store)
checks each learner's once.
"""
from __future__ import annotations


def certificate_trust(certificate, store, *, trusted: set[str] | None = None, hmac_key: bytes | None = None) -> str:
    from .certificate import certificate_trust as check
    from .certificate import local_hmac_key
    from .signing import trusted_public_keys

    trusted = trusted_public_keys(store) if trusted is None else trusted
    return check(certificate, trusted, hmac_key if hmac_key is not None else local_hmac_key())


def trust_text(status: str | None, lang: str) -> str:
    from .report import trust_text as text

    return text(status, lang)
