"""Checks an uploaded file by its content, not only its name: the form's promise ("PDF, JPEG or PNG") is kept.

The type is read from the file's first bytes by puremagic (pure Python, no system library); the extension must name
the same type, so that a file is served under the type it really has.
"""

import puremagic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEAD_BYTES = 8192
DOCUMENT_TYPES = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def content_types(head: bytes) -> set[str]:
    """The MIME types that the bytes match (empty if none is recognised)."""
    try:
        return {match.mime_type for match in puremagic.magic_string(head) if match.mime_type}
    except (puremagic.PureError, ValueError):
        return set()


def validate_upload(upload, *, types=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES, labels="PDF, JPEG ou PNG"):
    """Raises a French ValidationError unless `upload` is one of `types` (by content and name) and small enough."""
    if upload.size > max_bytes:
        raise ValidationError(_("Le fichier dépasse %(n)s Mo.") % {"n": max_bytes // (1024 * 1024)})
    name = (upload.name or "").lower()
    expected = {mime for mime, extensions in types.items() if name.endswith(extensions)}
    if not expected:
        raise ValidationError(_("Formats acceptés : %(f)s.") % {"f": labels})
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not content_types(head) & expected:
        raise ValidationError(
            _("Le contenu de ce fichier n'est pas celui d'un %(f)s : enregistrez-le à nouveau dans ce format.")
            % {"f": "/".join(ext.lstrip(".").upper() for mime in expected for ext in types[mime][:1])}
        )
    return upload
