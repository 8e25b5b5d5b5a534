"""Tagged PDF for the PDF writer: marked content while drawing, structure and metadata after.

ReportLab's open-source canvas writes no structure, so accessibility comes in two halves:

* While ReportLab draws (:class:`Marker`), every page's content is an artifact by default
  (``/Artifact BMC``), and each flowable that carries a structure :class:`Node` closes the
  artifact, draws inside ``/Role <</MCID n>> BDC ... EMC`` and records ``(page, mcid)`` on
  its node.  Table rules, cell tints, bullets drawn without a label, banners, the letterhead
  and page numbers therefore become artifacts without each of them being found and wrapped.
  Link annotations made while a node draws become ``Link`` children of that node.
* After ReportLab has saved (:func:`finish`), a pikepdf pass turns the node tree (built from
  the document model in reading order, not in drawing order) into the ``StructTreeRoot`` and
  its ``ParentTree``, and adds what PDF/UA-1 and PDF/A-2a ask of the file as a whole: XMP
  metadata matching the Info dictionary, an sRGB output intent, ``/MarkInfo``, ``/Tabs /S``,
  annotation flags and descriptions, ToUnicode maps without U+0000, and stream framing
  (``endstream`` on its own line, exact ``/Length``) that ReportLab does not write.

Doing the second half inside ReportLab would mean patching its private object writer in many
places; doing the first half after the fact would mean re-parsing every content stream and
guessing which operators belong to which block.  The split keeps each half where the
knowledge is.  The output stays byte-identical: no clock, no random ids, and pikepdf derives
the file identifier from the content.
"""

from __future__ import annotations

import base64
import functools
import io
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from briefgen.support.xml_text import escape
from briefgen.writers.shaping import is_shaping_code, text_of_code

__all__ = ["ROLE_MAP", "Annotation", "Marked", "Marker", "Node", "finish"]

ROLE_MAP: dict[str, str] = {"Title": "H1", "Subtitle": "P", "Callout": "Div"}
"""briefgen's own structure types and the standard types assistive technology reads them as."""

_ICC_NAME = "sRGB IEC61966-2.1"


@dataclass(eq=False, slots=True)
class Marked:
    """One marked-content sequence: the ``mcid``-th on page ``page`` (0-based)."""

    page: int
    mcid: int


@dataclass(eq=False, slots=True)
class Annotation:
    """The ``index``-th annotation of page ``page`` and the description a reader announces."""

    page: int
    index: int
    contents: str


@dataclass(eq=False, slots=True)
class Node:
    """A structure element: its role, and its children in logical order.

    ``alt`` is alternative text (figures), ``title`` a human-readable title (``/T``),
    ``scope`` a table header's scope, ``ident`` a note's unique ``/ID``, ``numbering`` a
    list's ``ListNumbering``, ``bbox`` a figure's bounding box in page space, ``lang`` the
    language of an element whose text is all in one language other than the document's.
    """

    role: str
    kids: list[Node | Marked | Annotation] = field(default_factory=list)
    alt: str = ""
    title: str = ""
    scope: str = ""
    ident: str = ""
    numbering: str = ""
    bbox: tuple[float, float, float, float] | None = None
    lang: str = ""
    actual_text: str = ""
    """The element's text in logical order when its glyphs are drawn in another (a line
    with right-to-left text is drawn in display order); see :mod:`.pdf_lines`."""

    def add(self, role: str, **attributes: Any) -> Node:
        """Append and return a child element."""
        child = Node(role, **attributes)
        self.kids.append(child)
        return child

    def __copy__(self) -> Node:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Node:
        """An element is a place in one tree, never a value: ReportLab deep-copies a list's
        items when a table cell holding the list splits across pages, and the copy's text
        must still land in this element, not in a detached twin."""
        return self


class Marker:
    """Writes marked-content operators into a ReportLab canvas and records each MCID's node.

    ReportLab has no marked-content API; the operators go straight into the page's
    content list (``canvas._code``), which is what its own drawing methods append to.
    """

    def __init__(self, root: Node, targets: Mapping[str, str], notes: frozenset[str]) -> None:
        self.root = root
        self._targets = targets
        self._notes = notes
        self._page = -1
        self._next = 0
        self._artifact = False
        self._active: Node | None = None
        self._pending: tuple[str, bool] | None = None
        self.annotations: dict[int, int] = {}
        """How many annotations each page has, to check the finishing pass against."""

    def page_begins(self, canv: Any) -> None:
        """Start a page: its decoration (drawn first) is a pagination artifact."""
        self._page = canv.getPageNumber() - 1
        self._next = 0
        canv._code.append("/Artifact <</Type /Pagination>> BDC")

    def decoration_done(self, canv: Any) -> None:
        """End the decoration; until a node draws, what follows is a layout artifact."""
        canv._code.append("EMC")
        self._open_artifact(canv)

    def page_ends(self, canv: Any) -> None:
        """Close the artifact open at the end of the page (sequences may not span pages)."""
        if self._artifact:
            canv._code.append("EMC")
            self._artifact = False

    def begin(self, canv: Any, node: Node) -> None:
        """Open a tagged sequence for ``node`` (closing the artifact around it)."""
        if self._artifact:
            canv._code.append("EMC")
            self._artifact = False
        mcid = self._next
        self._next += 1
        node.kids.append(Marked(self._page, mcid))
        canv._code.append(f"/{node.role} <</MCID {mcid}>> BDC")
        self._active = node

    def end(self, canv: Any) -> None:
        """Close ``node``'s sequence and go back to artifact."""
        canv._code.append("EMC")
        self._active = None
        self._open_artifact(canv)

    def expect_link(self, target: str, *, internal: bool) -> None:
        """Remember what the annotation ReportLab is about to add points at.

        ``target`` is an anchor for internal links (described by what it names: a
        section or a note) and the address itself for external ones.
        """
        if internal:
            self._pending = (self._targets.get(target, target), target in self._notes)
        else:
            self._pending = (target, False)

    def annotation_added(self, index: int) -> None:
        """Attach the annotation just added to the page as a Link of the drawing node.

        A citation's link sits in a ``Reference``; an annotation drawn outside any node
        (there should be none) still gets a Link under the document so that no
        annotation is left out of the tree.
        """
        contents, citation = self._pending or ("Link", False)
        self._pending = None
        parent = self._active or self.root
        if citation:
            parent = parent.add("Reference")
        parent.add("Link", kids=[Annotation(self._page, index, contents)])
        self.annotations[self._page] = index + 1

    def _open_artifact(self, canv: Any) -> None:
        canv._code.append("/Artifact BMC")
        self._artifact = True


# --- the finishing pass ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the XMP packet says; PDF/A wants it to match the Info dictionary exactly."""

    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    producer: str
    created: str
    """PDF date string (``D:YYYYMMDDHHmmSS+00'00'``) used for every date."""
    language: str


def finish(data: bytes, root: Node, language: str) -> bytes:
    """Add the structure tree and the PDF/UA-1 and PDF/A-2a requirements to ReportLab's file."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = list(pdf.pages)
        _fix_to_unicode(pages)
        tree = _Tree(pdf, pages)
        struct_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        struct_root.K = tree.element(root, struct_root)
        struct_root.ParentTree = pdf.make_indirect(Dictionary(Nums=tree.parent_tree()))
        struct_root.ParentTreeNextKey = tree.next_key
        struct_root.RoleMap = Dictionary({f"/{k}": Name(f"/{v}") for k, v in ROLE_MAP.items()})
        for number, page in enumerate(pages):
            page.obj.Tabs = Name.S
            page.obj.StructParents = number
        catalog = pdf.Root
        catalog.StructTreeRoot = struct_root
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.Lang = String(language or "en")
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        catalog.Metadata = _xmp_stream(pdf, _metadata(pdf, language))
        catalog.OutputIntents = Array([_output_intent(pdf)])
        _end_streams_clearly(pdf)
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=False,
            min_version="1.7",
            fix_metadata_version=False,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
    return out.getvalue()


class _Tree:
    """Builds structure elements and remembers which element owns each MCID and annotation."""

    def __init__(self, pdf: pikepdf.Pdf, pages: list[Any]) -> None:
        self._pdf = pdf
        self._pages = [page.obj for page in pages]
        self._marks: list[dict[int, Any]] = [{} for _ in pages]
        self._annotations: list[tuple[int, Any]] = []
        self.next_key = len(pages)

    def element(self, node: Node, parent: Any) -> Any:
        """Return the indirect structure element of ``node`` with all its descendants.

        The dictionary is filled in one call: each entry set separately crosses into
        qpdf, and a brief has hundreds of elements.
        """
        entries = {"/Type": _STRUCT_ELEM, "/S": _name(node.role), "/P": parent}
        entries.update(_attributes(node))
        home = next((kid.page for kid in node.kids if not isinstance(kid, Node)), None)
        if home is not None:
            entries["/Pg"] = self._pages[home]
        element = self._pdf.make_indirect(Dictionary(entries))
        kids = [self._kid(kid, element, home) for kid in node.kids]
        if len(kids) == 1:
            element.K = kids[0]
        elif kids:
            element.K = Array(kids)
        return element

    def _kid(self, kid: Node | Marked | Annotation, element: Any, home: int | None) -> Any:
        if isinstance(kid, Node):
            return self.element(kid, element)
        page = self._pages[kid.page]
        if isinstance(kid, Marked):
            self._marks[kid.page][kid.mcid] = element
            if kid.page == home:
                return kid.mcid
            return Dictionary(Type=Name.MCR, Pg=page, MCID=kid.mcid)
        annotation = page.Annots[kid.index]
        annotation.F = 4
        annotation.Contents = String(clip(kid.contents))
        annotation.StructParent = self.next_key
        self._annotations.append((self.next_key, element))
        self.next_key += 1
        return Dictionary(Type=Name.OBJR, Pg=page, Obj=annotation)

    def parent_tree(self) -> Array:
        """The number tree's ``/Nums``: per page the elements by MCID, then per annotation."""
        nums = Array()
        for number, marks in enumerate(self._marks):
            nums.append(number)
            nums.append(
                self._pdf.make_indirect(Array([marks[mcid] for mcid in sorted(marks)]))
                if marks
                else Array()
            )
        for key, element in self._annotations:
            nums.append(key)
            nums.append(element)
        return nums


_STRUCT_ELEM = Name.StructElem


@functools.cache
def _name(name: str) -> Name:
    """A PDF name object, made once per process (structure types repeat hundreds of times)."""
    return Name(f"/{name}")


def _attributes(node: Node) -> dict[str, Any]:
    """The optional entries and attribute objects a node carries."""
    entries: dict[str, Any] = {}
    if node.alt:
        entries["/Alt"] = String(clip(node.alt))
    if node.title:
        entries["/T"] = String(clip(node.title))
    if node.ident:
        entries["/ID"] = String(node.ident.encode("utf-8"))
    if node.lang:
        entries["/Lang"] = String(node.lang)
    if node.actual_text:
        entries["/ActualText"] = String(clip(node.actual_text))
    if node.scope:
        entries["/A"] = Dictionary(O=Name.Table, Scope=_name(node.scope))
    elif node.numbering:
        entries["/A"] = Dictionary(O=Name.List, ListNumbering=_name(node.numbering))
    elif node.bbox is not None:
        entries["/A"] = Dictionary(O=Name.Layout, BBox=Array([round(v, 2) for v in node.bbox]))
    return entries


def _end_streams_clearly(pdf: pikepdf.Pdf) -> None:
    """ASCII85-wrap the rare stream whose bytes end in a carriage return.

    The writer puts a line feed before ``endstream``; after a final CR, validators read
    CR LF as the end-of-line marker and find the data one byte shorter than ``/Length``
    (PDF/A's stream-length rule).  Compressed data ends with a checksum of its content,
    so about one stream in 256 (a font subset, an image) is affected, and wrapping only
    those costs nothing elsewhere.  ASCII85 data always ends with ``~>``.
    """
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.read_raw_bytes().endswith(b"\r"):
            filters = obj.get("/Filter")
            chain = [filters] if isinstance(filters, Name) else list(filters or [])
            parms = obj.get("/DecodeParms")
            parm_chain = [parms] if isinstance(parms, Dictionary) else list(parms or [])
            encoded = base64.a85encode(obj.read_raw_bytes()) + b"~>"
            obj.write(
                encoded,
                filter=Array([Name.ASCII85Decode, *chain]),
                decode_parms=Array([None, *parm_chain]) if parm_chain else None,
            )


_BFCHAR = re.compile(rb"(\d+) beginbfchar\n(.*?)endbfchar\n?", re.DOTALL)


def _fix_to_unicode(pages: list[Any]) -> None:
    """Drop ToUnicode entries that map to U+0000.

    ReportLab's subsets map unused codes 0-31 to U+0000, which PDF/A and PDF/UA
    forbid; the codes are never shown, so the entries can simply go.  ReportLab
    gives every page and form one shared font dictionary, so the first page's
    fonts are all the fonts.
    """
    resources = pages[0].obj.get("/Resources") if pages else None
    fonts = resources.get("/Font") if resources is not None else None
    for font in (fonts or Dictionary()).values():
        cmap = font.get("/ToUnicode")
        if cmap is not None:
            fixed = _fixed_cmap(cmap.read_bytes())
            if fixed is not None:
                cmap.write(fixed, filter=Name.FlateDecode)


@functools.lru_cache(maxsize=256)
def _fixed_cmap(text: bytes) -> bytes | None:
    """The compressed CMap without null entries, or None when it has none; cached because a
    rebuild (watch mode) embeds the same subsets again."""
    fixed = _BFCHAR.sub(_drop_null_entries, text)
    return zlib.compress(fixed, 6) if fixed != text else None


def _drop_null_entries(match: re.Match[bytes]) -> bytes:
    lines = [
        _utf16_entry(line) for line in match.group(2).splitlines() if not line.endswith(b"<0000>")
    ]
    lines = [line for line in lines if line]
    if not lines:
        return b""
    return b"%d beginbfchar\n%s\nendbfchar\n" % (len(lines), b"\n".join(lines))


_ENTRY = re.compile(rb"<([0-9A-Fa-f]+)> <([0-9A-Fa-f]{5,6})>")


def _utf16_entry(line: bytes) -> bytes:
    """A bfchar entry whose target lies beyond U+FFFF, in the UTF-16 ToUnicode wants.

    ReportLab writes such targets as five or six hex digits, which readers reject.
    The shaping codes (:mod:`.shaping`) are among them: each stands for the source
    text its glyph was drawn for.  A glyph that stands for no text (a second glyph
    of one character, the dotted circle HarfBuzz draws under a mark with no letter)
    maps to U+2060 WORD JOINER: PDF/UA and PDF/A want every drawn code mapped, and
    that character is invisible and joins nothing (the line's ``/ActualText`` has
    the exact text).
    """
    match = _ENTRY.fullmatch(line.strip())
    if match is None:
        return line
    code = int(match.group(2), 16)
    text = (text_of_code(code) or "\u2060") if is_shaping_code(code) else chr(code)
    return b"<%s> <%s>" % (match.group(1), text.encode("utf-16-be").hex().upper().encode())


MAX_STRING = 32767
"""PDF/A's limit on the bytes of one string."""


def clip(text: str) -> str:
    """``text`` cut to fit PDF/A's string limit, counted in UTF-16 (the widest encoding).

    Only a brief with hundreds of items gets near it (the heat map's description, the
    keywords listing every participant); the cut falls after the last whole sentence
    that fits, and an ellipsis says that more followed.
    """
    if 2 + 4 * len(text) <= MAX_STRING or (
        2 + 2 * len(text) <= MAX_STRING and not _has_astral(text)
    ):
        return text
    cut = text[: (MAX_STRING - 2) // 2 - 1]
    while 2 + len((cut + "\u2026").encode("utf-16-be")) > MAX_STRING:
        cut = cut[: -max(1, len(cut) // 100)]
    sentence = cut.rfind(". ")
    if sentence > len(cut) // 2:
        cut = cut[: sentence + 1]
    return cut.rstrip() + "\u2026"


def _has_astral(text: str) -> bool:
    """Characters outside the Basic Multilingual Plane take four bytes in UTF-16."""
    return any(ord(char) > 0xFFFF for char in text)


def _clip_info(pdf: pikepdf.Pdf) -> None:
    """Keep the Info dictionary's strings within the limit; the XMP then mirrors them."""
    info = pdf.docinfo
    for key in ("/Title", "/Author", "/Subject", "/Keywords"):
        value = info.get(key)
        if value is not None and clip(str(value)) != str(value):
            info[key] = String(clip(str(value)))


def _metadata(pdf: pikepdf.Pdf, language: str) -> Metadata:
    _clip_info(pdf)
    info = pdf.docinfo

    def get(key: str) -> str:
        value = info.get(key)
        return str(value) if value is not None else ""

    return Metadata(
        title=get("/Title"),
        author=get("/Author"),
        subject=get("/Subject"),
        keywords=get("/Keywords"),
        creator=get("/Creator"),
        producer=get("/Producer"),
        created=get("/CreationDate"),
        language=language or "en",
    )


_PDF_DATE = re.compile(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)\+00'00'")


def _xmp_date(pdf_date: str) -> str:
    """``D:20241016093000+00'00'`` -> ``2024-10-16T09:30:00+00:00`` (XMP's form of the same).

    The writer always stamps UTC in this form; anything else is a bug, not input.
    """
    match = _PDF_DATE.fullmatch(pdf_date)
    if match is None:
        raise ValueError(f"unexpected PDF date {pdf_date!r}")
    year, month, day, hour, minute, second = match.groups()
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}+00:00"


_PDFUA_EXTENSION = """<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>"""
"""PDF/A allows only declared XMP schemas; pdfuaid is not predefined, so it is declared here."""


def _xmp(meta: Metadata) -> bytes:
    """The XMP packet: Dublin Core and PDF properties mirroring Info, plus the conformance ids."""
    date = _xmp_date(meta.created)
    creator = (
        f"<dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>"
        if meta.author
        else ""
    )
    description = (
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(meta.subject)}</rdf:li></rdf:Alt></dc:description>"
        if meta.subject
        else ""
    )
    keywords = f"<pdf:Keywords>{escape(meta.keywords)}</pdf:Keywords>" if meta.keywords else ""
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.title)}</rdf:li></rdf:Alt></dc:title>
{creator}{description}
<dc:language><rdf:Bag><rdf:li>{escape(meta.language)}</rdf:li></rdf:Bag></dc:language>
{keywords}<pdf:Producer>{escape(meta.producer)}</pdf:Producer>
<xmp:CreatorTool>{escape(meta.creator)}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>A</pdfaid:conformance>
<pdfuaid:part>1</pdfuaid:part>
{_PDFUA_EXTENSION}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")


def _xmp_stream(pdf: pikepdf.Pdf, meta: Metadata) -> Any:
    """The catalog's metadata stream, unfiltered as PDF/A requires; Info's dates follow it."""
    pdf.docinfo.ModDate = String(meta.created)
    stream = pdf.make_stream(_xmp(meta))
    stream.Type = Name.Metadata
    stream.Subtype = Name.XML
    return stream


@functools.cache
def _icc_profile() -> bytes:
    """The sRGB profile, compressed once per process."""
    return zlib.compress(resources.files("pikepdf").joinpath("pdfa/data/sRGB.icc").read_bytes(), 9)


def _output_intent(pdf: pikepdf.Pdf) -> Dictionary:
    """An sRGB output intent, so DeviceRGB colours have a defined meaning (PDF/A).

    The profile is the free sRGB profile from Debian's icc-profiles-free (zlib licence)
    that pikepdf ships for exactly this purpose.
    """
    icc = pdf.make_stream(_icc_profile())
    icc.Filter = Name.FlateDecode
    icc.N = 3
    return Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=String(_ICC_NAME),
        Info=String(_ICC_NAME),
        DestOutputProfile=icc,
    )
