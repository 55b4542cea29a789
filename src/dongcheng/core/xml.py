"""Text an XML 1.0 document can hold: every writer passes stored text through ``xml_text`` before building elements.

XML 1.0 §2.2 Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. Anything else (the C0
controls other than tab, LF and CR, a lone surrogate, U+FFFE/U+FFFF) becomes U+FFFD, so text saved before the input
gate refused it (api/input_gate.py) cannot make a feed fail.
"""
from __future__ import annotations

import re

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str | None) -> str | None:
    """``text`` with every character XML 1.0 cannot hold replaced by U+FFFD (``None`` stays ``None``)."""
    return None if text is None else _NOT_XML.sub("\ufffd", text)
