"""PDF output of claimkit: filled forms and the ready-to-post packet (the one module the services import).

- pdf_forms: the templates of claimkit/forms_pdf/ filled with pypdf (fillable copy) or by overlay (print copy);
- pdf_packet: cover sheet + print copies of the forms + medicines sheet + address label, as one PDF;
- pdf_text: French and Arabic text with the embedded DejaVu / Noto Naskh fonts.
The values come from claimkit.domain.forms (the field map) and claimkit.domain.packet (what the packet prints).
"""

from claimkit.adapters.pdf_forms import fillable, flattened, template
from claimkit.adapters.pdf_packet import build_packet
from claimkit.domain.packet import ChecklistLine, PacketData, packet_data

__all__ = [
    "ChecklistLine",
    "PacketData",
    "build_packet",
    "fillable",
    "flattened",
    "packet_data",
    "template",
]
