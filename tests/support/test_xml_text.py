"""briefgen's XML escaping is the standard library's, without its imports."""

from __future__ import annotations

import subprocess
import sys
from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

from briefgen.support.xml_text import escape, quoteattr

_TRICKY = st.text(alphabet=st.sampled_from("ab &<>\"'\n\r\t한"), max_size=30) | st.text()


@given(_TRICKY)
def test_the_same_as_saxutils(text: str) -> None:
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)


def test_importing_it_does_not_import_the_network_modules() -> None:
    code = (
        "import sys, briefgen.support.xml_text\n"
        "print(sorted(m for m in ('urllib.request', 'http.client', 'ssl') if m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert output.stdout.strip() == "[]", output.stderr
