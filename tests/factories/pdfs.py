"""Hostile PDFs for the public verification page (issue 14): files built to make a PDF parser work hard.

`signature_bomb` writes a small, well-formed PDF whose signature fields all point to signature
dictionaries with a `/Contents` hex string of the length asked for – the shape that made pyHanko's
pure-Python tokenizer spend ~1.4 s and ~85 MB per MB of hex in the request. Used by the tests and by
bench/verify_load.py."""

from __future__ import annotations


def signature_bomb(*, contents_hex: int, fields: int = 1, shared: bool = True, cms: bytes = b"") -> bytes:
    """A PDF with `fields` signature fields; with `shared` they all share one signature dictionary (one
    `/Contents` of `contents_hex` hex digits), otherwise each has its own. `cms` (a real signature's CMS,
    e.g. from `signature_cms`) makes pyHanko go on to validate each field; the rest is zero padding, as in
    the space a signer reserves."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages = add(b"")
    page = add(b"")
    hex_digits = cms.hex().encode()[:contents_hex].ljust(contents_hex, b"0")
    signature = (
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
        b"/ByteRange [0 100 200 300] /Contents <" + hex_digits + b"> /Name (Angripare) >>"
    )
    shared_sig = add(signature) if shared else 0
    field_ids = []
    for number in range(fields):
        sig = shared_sig or add(signature)
        field_ids.append(
            add(
                b"<< /FT /Sig /T (Signatur %d) /V %d 0 R /Type /Annot /Subtype /Widget "
                b"/Rect [0 0 0 0] /P %d 0 R >>" % (number, sig, page)
            )
        )
    refs = b" ".join(b"%d 0 R" % i for i in field_ids)
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R /AcroForm << /Fields [%s] /SigFlags 3 >> >>" % (
        pages,
        refs,
    )
    objects[pages - 1] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page
    objects[page - 1] = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Annots [%s] >>" % (
        pages,
        refs,
    )

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def signature_cms(pdf: bytes) -> bytes:
    """The CMS blob of the first signature in a signed PDF (trailing padding removed)."""
    import re

    match = re.search(rb"/Contents\s*<([0-9A-Fa-f]+)>", pdf)
    digits = match.group(1).rstrip(b"0")
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
