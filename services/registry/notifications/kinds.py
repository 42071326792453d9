"""What each kind of notification is: who receives it (by contact role), whether the law
requires it (then nobody can opt out), its French label and the page its links lead to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    role: str  # the contacts' role that receives it
    required: bool  # legally required: contacts cannot opt out
    link: str  # the page of the back office the mail points to
    context: tuple[str, ...] = ()  # what the caller must give for the template
    # when the member has no contact of ``role``: the role that receives it instead
    fallback_role: str | None = None


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        # CGCT D5211-16: each member is notified of its unit costs before its budget
        Kind(
            "forecast_available",
            "Notification prévisionnelle",
            "finance_officer",
            True,
            "/tableau-de-bord#cout",
            ("fiscal_year",),
        ),
        # a revenue title is notified to its debtor (CGCT L1617-5)
        Kind(
            "titles_issued",
            "Titres de recettes émis",
            "finance_officer",
            True,
            "/tableau-de-bord#titres",
            ("titles",),
        ),
        Kind(
            "correction_issued",
            "Correction de titre émise",
            "finance_officer",
            True,
            "/tableau-de-bord#titres",
            ("corrections",),
        ),
        # the direction générale signs and denounces a convention; a member without an
        # executive contact gets it through its finance officer (a renewal commits its budget)
        # the comptable public rejected the bordereau carrying the member's titles (PES_ACQUIT)
        Kind(
            "title_rejected",
            "Titre rejeté par le comptable public",
            "finance_officer",
            False,
            "/tableau-de-bord#titres",
            ("titles",),
        ),
        # a title still owed past the avis des sommes à payer's 30 days
        Kind(
            "title_overdue",
            "Titre impayé après l'échéance",
            "finance_officer",
            False,
            "/tableau-de-bord#titres",
            ("reference", "fiscal_year", "issued_on", "outstanding", "age_days"),
        ),
        Kind(
            "convention_deadline",
            "Échéance de convention",
            "executive",
            False,
            "/tableau-de-bord",
            ("convention_title", "deadline_kind", "deadline_on"),
            fallback_role="finance_officer",
        ),
        Kind(
            "decision_due",
            "Décision ou action à échéance",
            "it_referent",
            False,
            "/tableau-de-bord#actions",
            ("title", "due_on"),
        ),
        # GDPR art. 33(2): the processor notifies the controller without undue delay
        Kind(
            "breach_clock",
            "Violation de données : délai de notification",
            "dpo",
            True,
            "/tableau-de-bord#rgpd",
            ("breach_title", "hours_left", "deadline_at"),
        ),
        Kind(
            "gdpr_request_due",
            "Demande RGPD à échéance",
            "dpo",
            False,
            "/tableau-de-bord#rgpd",
            ("request_kind", "due_on"),
        ),
    )
}

ROLE_LABELS = {
    "finance_officer": "Responsable des finances",
    "it_referent": "Référent informatique",
    "dpo": "Délégué à la protection des données",
    "executive": "Direction générale",
}

STATUS_LABELS = {
    "queued": "en attente",
    "sending": "en cours d'envoi",
    "sent": "envoyé",
    "failed": "échec",
    "dead": "abandonné après plusieurs essais",
}
