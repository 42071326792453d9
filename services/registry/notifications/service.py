"""Rules of notifications: who receives what, the rendered mail stored once, the proof read back.

A notification is rendered when it is requested (its subject and bodies are kept: the proof says
what was sent) and gets one queued delivery per recipient; the mail worker sends them later,
never inside the request.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence

from jinja2 import TemplateError
from sqlalchemy.orm import Session

from kit import audit
from kit.errors import Conflict, ValidationFailed
from kit.identity import Principal
from services.registry.members import repository as members_repository
from services.registry.models import (
    AuditEntry,
    Contact,
    Delivery,
    Notification,
    NotificationAttachment,
    NotificationOptOut,
)
from services.registry.notifications import repository
from services.registry.notifications.kinds import KINDS, STATUS_LABELS
from services.registry.notifications.rendering import render
from services.registry.notifications.schemas import (
    AttachmentRead,
    DeliveryRead,
    NotificationCreate,
    NotificationRead,
)


def _invalid(field: str, message: str, message_fr: str, kind: str) -> ValidationFailed:
    return ValidationFailed(
        f"Invalid value for: {field}",
        errors=[{"field": field, "message": message, "message_fr": message_fr, "type": kind}],
    )


def _attachments(data: NotificationCreate) -> list[NotificationAttachment]:
    out = []
    for n, item in enumerate(data.attachments):
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _invalid(
                f"attachments.{n}.content_base64",
                "not base64",
                "Le contenu de la pièce jointe n'est pas en base64.",
                "base64",
            ) from exc
        out.append(
            NotificationAttachment(
                filename=item.filename,
                media_type=item.media_type,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                data=content,
            )
        )
    return out


def create_notification(
    session: Session, *, principal: Principal, data: NotificationCreate, public_url: str
) -> tuple[Notification, bool]:
    """The notification, rendered, with one queued delivery per recipient; ``(found, False)``
    when the same (kind, reference, member) was already requested."""
    principal.ensure_writes_only_its_member([data.member_code])
    existing = repository.find(session, data.kind, data.reference, data.member_code)
    if existing is not None:
        return existing, False
    member = members_repository.get_by_code(session, data.member_code)
    if member is None:
        raise _invalid("member_code", "unknown member", "Adhérent inconnu.", "unknown_member")
    spec = KINDS[data.kind]
    missing = [key for key in spec.context if key not in data.context]
    if missing:
        raise ValidationFailed(
            f"Missing in context: {', '.join(missing)}",
            errors=[
                {"field": f"context.{key}", "message": "required",
                 "message_fr": "Valeur requise pour ce message.", "type": "missing"}
                for key in missing
            ],
        )  # fmt: skip
    attachments = _attachments(data)
    listed = [{"filename": a.filename, "sha256": a.sha256, "size": a.size} for a in attachments]
    try:
        mail = render(
            data.kind,
            member={"code": member.code, "name": member.name},
            context=data.context,
            attachments=listed,
            public_url=public_url,
        )
    except (TemplateError, KeyError, TypeError, ValueError) as exc:
        raise _invalid(
            "context",
            f"the message cannot be written from this context ({type(exc).__name__})",
            "Le message ne peut pas être rédigé avec ces valeurs.",
            "context",
        ) from exc
    notification = Notification(
        kind=data.kind,
        member_code=member.code,
        subject=mail.subject,
        reference=data.reference,
        context=data.context,
        body_text=mail.text,
        body_html=mail.html,
        requested_by=principal.audit_name,
    )
    session.add(notification)
    session.flush()
    for attachment in attachments:
        attachment.notification_id = notification.id
        session.add(attachment)
    role = spec.role
    contacts = repository.recipients(session, member, role, data.kind)
    if spec.fallback_role and not repository.role_held(session, member, role):
        role = spec.fallback_role
        contacts = repository.recipients(session, member, role, data.kind)
    for contact in contacts:
        session.add(
            Delivery(
                notification_id=notification.id,
                contact_id=contact.id,
                email=contact.email,
                role=role,
                status="queued",
            )
        )
    session.flush()
    audit.record(session, AuditEntry, principal=principal, action="create",
                 resource_type="notification", resource_id=str(notification.id),
                 after={"kind": data.kind, "member_code": member.code,
                        "reference": data.reference, "attachments": listed})  # fmt: skip
    return notification, True


def to_reads(session: Session, notifications: Sequence[Notification]) -> list[NotificationRead]:
    ids = [n.id for n in notifications]
    deliveries = repository.deliveries_of(session, ids)
    attachments = repository.attachments_of(session, ids)
    out = []
    for n in notifications:
        sent = deliveries[n.id]
        accepted = [d.sent_at for d in sent if d.status == "sent" and d.sent_at is not None]
        out.append(
            NotificationRead(
                id=n.id,
                kind=n.kind,
                member_code=n.member_code,
                subject=n.subject,
                reference=n.reference,
                requested_by=n.requested_by,
                created_at=n.created_at,
                attachments=[
                    AttachmentRead(
                        filename=a.filename, media_type=a.media_type, sha256=a.sha256, size=a.size
                    )
                    for a in attachments[n.id]
                ],
                deliveries=[DeliveryRead.model_validate(d, from_attributes=True) for d in sent],
                accepted_at=max(accepted) if sent and len(accepted) == len(sent) else None,
            )
        )
    return out


def set_opt_outs(
    session: Session, *, principal: Principal, contact: Contact, kinds: Sequence[str]
) -> list[str]:
    """Replace the contact's opt-outs; a legally required kind is refused (422)."""
    required = [k for k in kinds if KINDS[k].required]
    if required:
        raise ValidationFailed(
            f"Legally required, cannot be turned off: {', '.join(required)}",
            errors=[
                {"field": "kinds", "message": f"{k} is legally required",
                 "message_fr": f"« {KINDS[k].label} » est prévu par les textes : "
                 "il ne peut pas être désactivé.", "type": "required_notification"}
                for k in required
            ],
        )  # fmt: skip
    before = sorted(o.kind for o in repository.opt_outs(session, contact.id))
    wanted = sorted(set(kinds))
    for opt_out in repository.opt_outs(session, contact.id):
        if opt_out.kind not in wanted:
            session.delete(opt_out)
    for kind in set(wanted) - set(before):
        session.add(NotificationOptOut(contact_id=contact.id, kind=kind))
    session.flush()
    if before != wanted:
        audit.record(session, AuditEntry, principal=principal, action="update",
                     resource_type="contact-opt-outs", resource_id=str(contact.id),
                     before={"kinds": before}, after={"kinds": wanted})  # fmt: skip
    return wanted


RETRYABLE = ("dead", "failed")


def retry_delivery(session: Session, *, principal: Principal, delivery: Delivery) -> Delivery:
    """Send a dead or failed delivery again (an administrator's decision, e.g. once the
    recipient's mailbox is fixed): queued anew with its attempts counted from zero, to the
    contact's address as the registry now holds it; the outcome it replaces stays in the
    audit log. Another state is 409 ``delivery-not-retryable``."""
    if delivery.status not in RETRYABLE:
        raise Conflict(
            f"Delivery {delivery.id} is {delivery.status}: only a dead or failed one is sent again",
            detail_fr="Seul un envoi en échec peut être renvoyé : celui-ci est "
            f"« {STATUS_LABELS[delivery.status]} ».",
            slug="delivery-not-retryable",
        )
    before = {"status": delivery.status, "email": delivery.email, "attempts": delivery.attempts,
              "smtp_code": delivery.smtp_code, "smtp_answer": delivery.smtp_answer,
              "last_error": delivery.last_error}  # fmt: skip
    contact = session.get(Contact, delivery.contact_id) if delivery.contact_id else None
    if contact is not None and not contact.erased:
        delivery.email = contact.email
    delivery.status, delivery.attempts, delivery.next_attempt_at = "queued", 0, None
    delivery.smtp_code = delivery.smtp_answer = delivery.last_error = None
    session.flush()
    audit.record(session, AuditEntry, principal=principal, action="retry",
                 resource_type="delivery", resource_id=str(delivery.id), before=before,
                 after={"status": "queued", "email": delivery.email})  # fmt: skip
    return delivery


EXPORT_HEADER = [
    "Notification", "Date de la demande", "Adhérent", "Objet du message", "Type", "Référence",
    "Demandée par", "Pièces jointes (SHA-256)", "Destinataire", "Rôle", "État", "Essais",
    "Accepté par le serveur le", "Code SMTP", "Réponse du serveur",
]  # fmt: skip


def export_rows(reads: list[NotificationRead]) -> list[list[str]]:
    """One row per delivery, for an auditor (French headers and labels, Paris time)."""
    from services.registry.notifications.kinds import ROLE_LABELS
    from services.registry.notifications.rendering import french_date

    rows: list[list[str]] = [EXPORT_HEADER]
    for n in reads:
        files = " | ".join(f"{a.filename} ({a.sha256})" for a in n.attachments)
        base = [str(n.id), french_date(n.created_at), n.member_code, n.subject,
                KINDS[n.kind].label, n.reference, n.requested_by, files]  # fmt: skip
        for d in n.deliveries or [None]:  # type: ignore[list-item]
            if d is None:
                rows.append([*base, "aucun destinataire", "", "", "", "", "", ""])
                continue
            rows.append([*base, d.email, ROLE_LABELS.get(d.role, d.role),
                         STATUS_LABELS[d.status], str(d.attempts),
                         french_date(d.sent_at) if d.sent_at else "",
                         str(d.smtp_code or ""), d.smtp_answer or d.last_error or ""])  # fmt: skip
    return rows
