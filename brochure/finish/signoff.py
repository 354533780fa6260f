"""A reviewed edition's sign-off in its XMP metadata: who reviewed which version, when.

In: a finished edition whose XMP packet `steps.xmp_metadata` wrote. Out: the same packet
with one more description, in brochure's own namespace (XMP has no standard property
for a clinical reviewer): reviewer, credential, review date and the digest of the
version reviewed. Drafts get nothing: their draft mark says what there is to say.
"""

from __future__ import annotations

from ..typeset.markup import escape
from ..typeset.render import Edition
from .pdfupdate import IncrementalUpdate

NAMESPACE = "https://brochure.invalid/ns/review/1.0/"


def review_xmp(edition: Edition, writer: IncrementalUpdate) -> None:
    """Add the sign-off to the XMP packet (reviewed editions only)."""
    content = edition.content
    sign_off = content.review.sign_off
    metadata = writer._root_object.get("/Metadata")
    if sign_off is None or content.is_draft or metadata is None:
        return
    stream = metadata.get_object()
    description = f"""  <rdf:Description rdf:about=""
    xmlns:brochure="{NAMESPACE}">
   <brochure:reviewStatus>reviewed</brochure:reviewStatus>
   <brochure:reviewer>{escape(sign_off.reviewer)}</brochure:reviewer>
   <brochure:reviewerCredential>{escape(sign_off.credential)}</brochure:reviewerCredential>
   <brochure:reviewDate>{sign_off.date.isoformat()}</brochure:reviewDate>
   <brochure:reviewedVersion>{escape(sign_off.version)}</brochure:reviewedVersion>
  </rdf:Description>
 </rdf:RDF>"""
    xmp = stream.get_data().decode("utf-8").replace(" </rdf:RDF>", description, 1)
    stream.set_data(xmp.encode("utf-8"))
