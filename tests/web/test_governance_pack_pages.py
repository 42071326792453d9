"""The strategic committee's pack in the back office: the section on a strategic meeting's
page, the preview, the confirmation page, the archive, the archived PDF as stored."""

from __future__ import annotations

import hashlib
import html
from typing import Any

from kit.client import ServiceClient
from kit.settings import PLACEHOLDER_SECRET
from tests.conftest import sync_client
from tests.web.test_governance_pages import as_admin, seed


def wire_upstreams(stack: dict[str, Any]) -> None:
    """Governance reads billing and the registry over HTTP for the budget follow-up."""
    apps = stack["apps"]
    for name in ("registry", "billing"):
        http = sync_client(apps[name], base_url="http://x")
        client = ServiceClient(
            name, "http://x", caller="governance", secret=PLACEHOLDER_SECRET, client=http
        )
        setattr(apps["governance"].state, f"{name}_client", client)


async def test_a_strategic_meetings_pack_is_previewed_confirmed_and_archived(
    web_stack: dict[str, Any],
) -> None:
    wire_upstreams(web_stack)
    created = await seed(
        web_stack,
        [
            ("/bodies", {"code": "comite-strategique", "name": "Comité stratégique",
                         "level": "strategic", "frequency": "half_yearly"}),
            ("/bodies", {"code": "conference", "name": "Conférence des maires",
                         "level": "political", "frequency": "annual"}),
            ("/meetings", {"body_code": "comite-strategique", "title": "Séance d'été",
                           "held_on": "2026-06-20"}),
            ("/meetings", {"body_code": "conference", "title": "Conférence",
                           "held_on": "2026-06-21"}),
            ("/projects", {"code": "sso", "name": "Authentification unique", "status": "active",
                           "starts_on": "2026-02-01", "ends_on": "2026-03-31"}),
        ],
    )  # fmt: skip
    strategic, political = created[2]["id"], created[3]["id"]
    async with as_admin(web_stack) as client:
        page = await client.get(f"/gouvernance/seances/{strategic}")
        other = await client.get(f"/gouvernance/seances/{political}")
        preview = await client.get(f"/gouvernance/seances/{strategic}/dossier")
        confirm = await client.get(f"/gouvernance/seances/{strategic}/dossier/archiver")
        token = confirm.text.split('name="csrf_token" value="')[1].split('"')[0]
        done = await client.post(
            f"/gouvernance/seances/{strategic}/dossier/archiver",
            data={"csrf_token": token, "confirmation": "oui"},
        )
        archived_page = await client.get(f"/gouvernance/seances/{strategic}")
        pdf = await client.get(f"/gouvernance/seances/{strategic}/dossier.pdf")
        stored = await client.get(f"/gouvernance/seances/{strategic}/dossier.html")
        archived_view = await client.get(f"/gouvernance/seances/{strategic}/dossier")
        again = await client.post(
            f"/gouvernance/seances/{strategic}/dossier/archiver",
            data={"csrf_token": token, "confirmation": "oui"},
        )
        refused = await client.get(f"/gouvernance/seances/{political}/dossier")
    text = html.unescape(page.text)
    assert "Dossier du comité stratégique" in text
    assert f'href="/gouvernance/seances/{strategic}/dossier/archiver"' in text
    assert "Dossier du comité stratégique" not in html.unescape(other.text)
    shown = html.unescape(preview.text)
    assert "Aperçu" in shown
    late = shown.split('id="projets-en-retard"')[1].split("</table>")[0]
    assert "Authentification unique" in late
    assert "fin prévue le 31/03/2026 dépassée" in late
    assert "du 01/01/2026 au 20/06/2026" in shown
    assert "irréversible" in confirm.text
    assert done.status_code == 303
    archived = html.unescape(archived_page.text)
    assert "Dossier archivé" in archived
    assert pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() in archived
    assert hashlib.sha256(stored.content).hexdigest() in archived  # the HTML as stored
    assert stored.headers["content-disposition"].startswith("attachment;")
    assert "Dossier archivé" in html.unescape(archived_view.text)
    assert "Authentification unique" in html.unescape(archived_view.text)
    assert again.status_code == 409
    assert "ne change plus" in html.unescape(again.text)
    assert refused.status_code == 409
    assert "instance stratégique" in html.unescape(refused.text)
