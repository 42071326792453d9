"""After issue, through the real registry and a real SMTP server: a bordereau the comptable
rejects is told to the members whose titles it carried (once, in French, without the DGFiP's
codes); a title still owed past its 30 days is told once, whatever the sweeps after — not a
paid one, nor one the comptable rejected."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.billing.notifications import sweep_overdue
from tests.billing.helios_support import CSV, acquit, post_acquit
from tests.billing.test_notifications import FINANCE, MailedPlatform
from tests.billing.test_payments import csv as payments_csv
from tests.billing.test_payments import french, to_cents
from tests.billing.upstream import YEAR, check
from tests.mailserver import smtp_server

SIRET_ERROR = ("ERREUR_SIRET", "SIRET DU DEBITEUR INCONNU")
ISSUED_ON = dt.date(YEAR, 6, 1)  # the platform's today


def _two_bordereaux(platform: MailedPlatform) -> list[dict[str, Any]]:
    """The worked example's titles issued in two validations (bordereaux 1 and 2): the
    bordereaux with their titles. Their forecast and notices are not mailed (tested in
    test_notifications.py; their PDFs take long): the members are notified from then on."""
    settings = platform.billing_app.state.settings
    settings.notify_members = False
    run_id = platform.ready_to_issue(forecast_on=f"{YEAR}-03-01")
    ids = sorted(t["id"] for t in check(platform.prepare(run_id))["prepared"])
    made = []
    for part in (ids[:3], ids[3:]):
        made += check(platform.validate(part))["bordereaux"]
    settings.notify_members = True
    return made


def _titles(platform: MailedPlatform, bordereau: dict[str, Any]) -> list[dict[str, Any]]:
    return [check(platform.billing.get(f"/invoices/{i}")) for i in bordereau["invoice_ids"]]


def test_rejected_titles_and_overdue_ones_are_each_mailed_once(service_app: Any) -> None:
    with smtp_server() as (server, port):
        platform = MailedPlatform(service_app, port)
        taken, rejected = _two_bordereaux(platform)
        server.received.clear()
        xml = acquit([(taken, True, []), (rejected, False, [SIRET_ERROR])])
        check(post_acquit(platform, xml))
        rejections = platform.send()
        assert post_acquit(platform, xml).status_code == 200  # the same file: nothing new
        assert platform.send() == 0
        rejection_mails = list(server.received)
        server.received.clear()
        owed = _titles(platform, taken)
        paid, owed = owed[0], owed[1:]
        line = (f"{paid['exercice']};{paid['number']};20/06/{paid['exercice']};"
                f"{french(to_cents(paid['total']))};VIR-1")  # fmt: skip
        check(platform.billing.post("/payments.csv", content=payments_csv(line), headers=CSV))
        in_time = sweep_overdue(platform.billing_app, today=ISSUED_ON + dt.timedelta(days=30))
        late = sweep_overdue(platform.billing_app, today=ISSUED_ON + dt.timedelta(days=31))
        overdue_sent = platform.send()
        later = sweep_overdue(platform.billing_app, today=ISSUED_ON + dt.timedelta(days=45))
        assert platform.send() == 0
        overdue_mails = list(server.received)
        refused = _titles(platform, rejected)
        members = {t["member_code"] for t in refused}
        notified = platform.notifications(kind="title_overdue", limit=100)
    # the rejection: one mail per member with titles on the rejected bordereau
    assert rejections == len(members)
    assert sorted(m.rcpt_tos[0] for m in rejection_mails) == sorted(FINANCE[c] for c in members)
    code = sorted(members)[0]
    mail = next(m for m in rejection_mails if m.rcpt_tos == [FINANCE[code]])
    assert "rejeté" in mail.subject
    assert mail.subject.endswith(f"par le comptable public - {code.title()}")
    for body in (mail.body("plain"), mail.body("html")):
        for title in (t for t in refused if t["member_code"] == code):
            assert f"titre n° {title['reference']}" in body
        assert "Le SIRET de la collectivité (IdColl) est inconnu ou erroné." in body
        assert "ERREUR_SIRET" not in body
        assert "/tableau-de-bord#titres" in body
    # overdue: the titles of the accepted bordereau still owed, once each
    assert (in_time, late, later) == (0, len(owed), len(owed))  # asked again: mailed once
    assert overdue_sent == len(owed) == len(overdue_mails)
    assert sorted(n["reference"] for n in notified) == sorted(
        f"overdue:invoice:{t['id']}" for t in owed
    )
    title = owed[0]
    mail = next(m for m in overdue_mails if title["reference"] in m.subject)
    assert mail.rcpt_tos == [FINANCE[title["member_code"]]]
    assert mail.subject == f"Titre n° {title['reference']} impayé - {title['member_code'].title()}"
    text = mail.body("plain")
    assert f"émis le 01/06/{YEAR}" in text
    assert "31 jours après son émission" in text
    assert "/tableau-de-bord#titres" in text
