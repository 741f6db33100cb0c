"""The structure tree of a joined PDF, rebuilt from the trees of the documents its pages come
from.

Copying pages (qpdf, through pikepdf) does not copy the catalog's /StructTreeRoot: a joined
file would lose every tag, and keep on its pages /StructParents keys pointing nowhere.
WeasyPrint files a page's elements (and all they contain) as children of the /Document
element, each with that page as /Pg; so the elements of the pages kept are found by their
/Pg and copied, after the pages (qpdf then points their /Pg at the copies), under one new
/Document, and the parent tree is renumbered: page i of the file gets key i, each tagged
annotation a key after the pages'. Marked-content identifiers (MCID) are a page's own and
stay as they are; so do the content streams.

Each source's top elements are cut from their parent before any is copied: qpdf copies
everything an object reaches, and through /P that would be the whole source tree. When the
file joins several tagged documents, element /IDs (and the table cells' /Headers naming
them) get a prefix per document, so that they stay unique in the file.

Pages from an untagged source (a national PDF) stay untagged: ``close`` says how many there
were, and the caller must then not claim PDF/UA.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Elements that never hold a table cell: the walk that renames /Headers stops at them.
_NO_TABLE_INSIDE = frozenset(
    ["/P", "/Span", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/Link", "/Figure", "/Lbl"]
)


@dataclass
class SourceTree:
    """What is read once of a laid-out document's tree, however many files take its pages."""

    tops: list[Any]  # the elements under its /Document, cut from it
    parents: dict[int, Any]  # its parent tree


class Structure:
    """The structure tree of the pikepdf document ``pdf``, made of its sources' as their
    pages are added (``add``), then written (``close``). ``several``: whether more than one
    tagged document gives pages (their /IDs then get a prefix)."""

    def __init__(
        self, pdf: Any, several: bool, trees: dict[int, SourceTree | None] | None = None
    ) -> None:
        import pikepdf

        self.pdf = pdf
        self.several = several
        self.tree = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        self.document = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=self.tree)
        )
        self.kids: list[Any] = []
        self.nums: list[Any] = []  # the parent tree's values, by key
        self.ids: dict[str, Any] = {}
        self.annotations: list[tuple[Any, Any]] = []  # (the file's annotation, its element)
        self.tagged_pages: list[Any] = []
        self.untagged = 0
        # By source document (``id``): shared with other files while the documents stay open.
        self._trees = {} if trees is None else trees
        self._prefixes: dict[int, str] = {}

    def add(self, source: Any, pages: Sequence[int], targets: Sequence[Any]) -> None:
        """The elements of ``pages`` of ``source`` (None: not ours, untagged), whose copies
        are the file's pages ``targets`` (pikepdf pages)."""
        import pikepdf

        known = self._tree(source)
        for page in targets:
            self._drop_dangling_links(page, known)
        if known is None:
            self.untagged += len(targets)
            for page in targets:
                for key in ("/StructParents", "/Tabs"):
                    if key in page.obj:
                        del page.obj[key]
            return
        self.tagged_pages.extend(targets)
        chosen = {source.pages[p].obj.objgen for p in pages}
        tops = [t for t in known.tops if _page(t) in chosen]
        prefix = self._prefixes.setdefault(id(source), f"{len(self._prefixes)}-")
        prefix = prefix if self.several else ""
        if tops:
            copies = self.pdf.copy_foreign(source.make_indirect(pikepdf.Array(tops)))
            for copy in copies:
                copy.P = self.document
                self.kids.append(copy)
                self.ids.update(_identify(copy, prefix))
        for p, target in zip(pages, targets, strict=True):
            marked = known.parents.get(source.pages[p].obj.get("/StructParents"))
            if isinstance(marked, pikepdf.Array):
                own = self.pdf.copy_foreign(
                    marked if marked.is_indirect else source.make_indirect(marked)
                )
                target.obj.StructParents = len(self.nums)
                target.obj.Tabs = pikepdf.Name.S
                self.nums.append(own)
            for annotation in target.obj.get("/Annots") or []:
                element = known.parents.get(annotation.get("/StructParent"))
                if isinstance(element, pikepdf.Dictionary):
                    self.annotations.append((annotation, self.pdf.copy_foreign(element)))

    def _tree(self, source: Any) -> SourceTree | None:
        """What is read of ``source`` once: its top elements (cut from their parent) and its
        parent tree; None for an untagged document."""
        import pikepdf

        if source is None:
            return None
        if id(source) not in self._trees:
            tree = source.Root.get("/StructTreeRoot")
            found = None
            if isinstance(tree, pikepdf.Dictionary):
                tops = _top_elements(tree)
                for top in tops:
                    if "/P" in top:
                        del top["/P"]
                found = SourceTree(tops, _number_tree(tree.get("/ParentTree")))
            self._trees[id(source)] = found
        return self._trees[id(source)]

    def _drop_dangling_links(self, page: Any, known: SourceTree | None) -> None:
        """A link to a page left out of the file goes (qpdf points it at nothing), and so
        does its tag."""
        import pikepdf

        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, pikepdf.Array):
            return
        kept = []
        for annotation in annotations:
            destination = annotation.get("/Dest")
            if not (isinstance(destination, pikepdf.Array) and len(destination)) or (
                destination[0] is not None
            ):
                kept.append(annotation)
                continue
            element = None if known is None else known.parents.get(annotation.get("/StructParent"))
            if isinstance(element, pikepdf.Dictionary):
                copy = self.pdf.copy_foreign(element)
                kids = copy.get("/K")
                if isinstance(kids, pikepdf.Array):
                    copy.K = pikepdf.Array(
                        k
                        for k in kids
                        if not (
                            isinstance(k, pikepdf.Dictionary)
                            and k.get("/Type") == "/OBJR"
                            and k.get("/Obj") is not None
                            and k.Obj.objgen == annotation.objgen
                        )
                    )
        if len(kept) != len(annotations):
            page.obj.Annots = pikepdf.Array(kept)

    def close(self) -> int:
        """Write the tree into the file; the number of pages that came untagged (0: every
        page is tagged)."""
        import pikepdf

        matched = {annotation.objgen for annotation, _ in self.annotations}
        for page in self.tagged_pages:  # a national PDF's own annotations stay as they came
            for annotation in page.obj.get("/Annots") or []:
                if annotation.is_indirect and annotation.objgen not in matched:
                    element = _loose_annotation(self.pdf, page, annotation, self.document)
                    if element is not None:
                        self.kids.append(element)
                        self.annotations.append((annotation, element))
        for annotation, element in self.annotations:
            annotation.StructParent = len(self.nums)
            self.nums.append(element)
        self.document.K = pikepdf.Array(self.kids)
        self.tree.K = pikepdf.Array([self.document])
        nums: list[Any] = []
        for key, value in enumerate(self.nums):
            nums += [key, value]
        self.tree.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
        self.tree.ParentTreeNextKey = len(self.nums)
        if self.ids:
            names: list[Any] = []
            for name in sorted(self.ids):
                names += [pikepdf.String(name), self.ids[name]]
            self.tree.IDTree = self.pdf.make_indirect(
                pikepdf.Dictionary(Names=pikepdf.Array(names))
            )
        self.pdf.Root.StructTreeRoot = self.tree
        return self.untagged


def _page(element: Any) -> tuple[int, int] | None:
    page = element.get("/Pg")
    return page.objgen if page is not None and page.is_indirect else None


def _identify(element: Any, prefix: str) -> dict[str, Any]:
    """The elements under ``element`` (included) that have an /ID, by it; with ``prefix``,
    their /IDs and the table cells' /Headers naming them are prefixed first. Only where a
    table may be: WeasyPrint gives /IDs to the header cells, nothing else."""
    import pikepdf

    found: dict[str, Any] = {}
    pending = [element]
    while pending:
        item = pending.pop()
        if not isinstance(item, pikepdf.Dictionary) or item.get("/Type") == "/OBJR":
            continue
        name = item.get("/ID")
        if name is not None:
            if prefix:
                item.ID = pikepdf.String(prefix + str(name))
            found[str(item.ID)] = item
        attributes = item.get("/A")
        if prefix and attributes is not None:
            for owner in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
                if isinstance(owner, pikepdf.Dictionary) and "/Headers" in owner:
                    owner.Headers = pikepdf.Array(
                        pikepdf.String(prefix + str(h)) for h in owner.Headers
                    )
        if item.get("/S") in _NO_TABLE_INSIDE:
            continue
        kids = item.get("/K")
        if isinstance(kids, pikepdf.Array):
            pending.extend(kids)
        elif isinstance(kids, pikepdf.Dictionary):
            pending.append(kids)
    return found


def _loose_annotation(pdf: Any, page: Any, annotation: Any, parent: Any) -> Any:
    """A structure element for an annotation fsdocs added to the joined file (a link of the
    index), filed at the end of the document; None for other kinds."""
    import pikepdf

    kind = {"/Widget": "/Form", "/Link": "/Link"}.get(str(annotation.get("/Subtype")))
    # A signature field stays out of the tree: each signature fills its field, and a field
    # the tree points at is, to a signature validator (pyHanko), a change beyond form filling
    # that casts doubt on the signatures before it. The file is then not declared PDF/UA.
    if kind is None or annotation.get("/FT") == "/Sig":
        return None
    description = annotation.get("/TU") or annotation.get("/Contents")
    if description is None and kind == "/Link":
        destination = annotation.get("/Dest")
        if isinstance(destination, pikepdf.Array) and len(destination):
            numbers = {p.obj.objgen: n for n, p in enumerate(pdf.pages, 1)}
            target = destination[0]
            if target.is_indirect and target.objgen in numbers:
                description = f"Aller à la page {numbers[target.objgen]}"
                annotation.Contents = pikepdf.String(description)
    reference = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation, Pg=page.obj)
    )
    element = pikepdf.Dictionary(
        Type=pikepdf.Name.StructElem,
        S=pikepdf.Name(kind),
        P=parent,
        Pg=page.obj,
        K=pikepdf.Array([reference]),
    )
    if description is not None:
        element.Alt = pikepdf.String(str(description))
    page.obj.Tabs = pikepdf.Name.S
    return pdf.make_indirect(element)


def _top_elements(tree: Any) -> list[Any]:
    """The elements under the source's /Document (WeasyPrint's), or under its root."""
    import pikepdf

    kids = _list(tree.get("/K"))
    if len(kids) == 1 and kids[0].get("/S") == "/Document":
        document = kids[0]
        inner = _list(document.get("/K"))
        document.K = pikepdf.Array()  # nothing reaches every element through it any more
        return inner
    tree.K = pikepdf.Array()
    return kids


def _list(value: Any) -> list[Any]:
    import pikepdf

    if isinstance(value, pikepdf.Array):
        return [item for item in value if isinstance(item, pikepdf.Dictionary)]
    return [value] if isinstance(value, pikepdf.Dictionary) else []


def _number_tree(node: Any, depth: int = 0) -> dict[int, Any]:
    """A number tree's entries (the parent tree), its /Kids followed."""
    found: dict[int, Any] = {}
    if node is None or depth > 32:
        return found
    nums = list(node.get("/Nums") or [])
    for position in range(0, len(nums) - 1, 2):
        found[int(nums[position])] = nums[position + 1]
    for kid in node.get("/Kids") or []:
        found.update(_number_tree(kid, depth + 1))
    return found
