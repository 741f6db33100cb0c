"""The structure tree of a joined PDF, rebuilt from the trees of the documents its pages come
from.

pypdf's ``PdfWriter.append`` copies pages, not the catalog's /StructTreeRoot: a joined file
would lose every tag, and keep on its pages /StructParents keys pointing nowhere. WeasyPrint
files a page's elements (and all they contain) as children of the /Document element, each
with that page as /Pg; so the elements of the pages kept are found by their /Pg, copied in
page order under one new /Document, and the parent tree is renumbered: page i of the file
gets key i, each tagged annotation a key after the pages'. Marked-content identifiers (MCID)
are a page's own and stay as they are; so do the content streams.

Pages from an untagged source (a national PDF) stay untagged: ``carry_structure`` says how
many there were, and the caller must then not claim PDF/UA.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

Source = tuple[Any, Sequence[int]]  # a pypdf reader (None: not ours) and its pages, in order


@dataclass
class _Copier:
    writer: Any
    prefix: str  # before the source's element /IDs, unique in the file
    pages: dict[int, Any]  # source page object number → the file's page (reference)
    annotations: dict[int, Any] = field(default_factory=dict)  # source → file annotation
    copies: dict[int, Any] = field(default_factory=dict)  # source element → copy (reference)
    ids: dict[str, Any] = field(default_factory=dict)  # /ID → copy, for the /IDTree

    def element(self, source: Any, parent: Any) -> Any:
        """A copy of the structure element ``source`` (and of its descendants) in the file."""
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

        element = source.get_object()
        copy = DictionaryObject()
        reference = self.writer._add_object(copy)
        self.copies[source.idnum] = reference
        for key, value in element.items():
            if key in ("/P", "/K", "/Pg", "/ID"):
                continue
            copy[NameObject(key)] = (
                self._attributes(value) if key == "/A" else value.clone(self.writer)
            )
        copy[NameObject("/P")] = parent
        page = element.raw_get("/Pg") if "/Pg" in element else None
        if page is not None and page.idnum in self.pages:
            copy[NameObject("/Pg")] = self.pages[page.idnum]
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
        copied = ArrayObject()
        for kid in kids:
            made = self._kid(kid, reference)
            if made is not None:
                copied.append(made)
        copy[NameObject("/K")] = copied
        name = element.get("/ID")
        # pypdf merges identical objects when it compacts the file: empty cells of one row
        # would become one; an /ID keeps each element its own.
        if name is not None or not copied:
            name = f"{self.prefix}{name if name is not None else f'vide-{source.idnum}'}"
            copy[NameObject("/ID")] = TextStringObject(name)
            self.ids[name] = reference
        return reference

    def _kid(self, kid: Any, parent: Any) -> Any:
        from pypdf.generic import DictionaryObject, IndirectObject, NameObject

        if not isinstance(kid, IndirectObject):
            return kid if isinstance(kid, int) else None  # an MCID
        target = kid.get_object()
        if not isinstance(target, DictionaryObject):
            return None
        if target.get("/Type") == "/OBJR":
            annotation = self.annotations.get(target.raw_get("/Obj").idnum)
            if annotation is None:
                return None  # an annotation left out of the file (a link to a page not in it)
            page = target.raw_get("/Pg") if "/Pg" in target else None
            reference = DictionaryObject({NameObject("/Type"): NameObject("/OBJR")})
            reference[NameObject("/Obj")] = annotation
            if page is not None and page.idnum in self.pages:
                reference[NameObject("/Pg")] = self.pages[page.idnum]
            return self.writer._add_object(reference)
        return self.element(kid, parent)

    def _attributes(self, value: Any) -> Any:
        """/A, with the /Headers of a cell pointing at its header cells' new /IDs."""
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

        value = value.get_object()
        if isinstance(value, ArrayObject):
            return ArrayObject(self._attributes(item) for item in value)
        copy = value.clone(self.writer)
        if isinstance(copy, DictionaryObject) and "/Headers" in copy:
            copy[NameObject("/Headers")] = ArrayObject(
                TextStringObject(f"{self.prefix}{name}") for name in cast(Any, copy["/Headers"])
            )
        return copy


def carry_structure(writer: Any, sources: Sequence[Source]) -> int:
    """Give ``writer`` — whose pages are the ``sources``' pages, in order — one structure
    tree made of theirs; the number of pages that came untagged (0: every page is tagged)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root = writer._add_object(tree)
    document = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Document"),
            NameObject("/P"): root,
        }
    )
    document_reference = writer._add_object(document)
    kids = ArrayObject()
    nums: list[tuple[int, Any]] = []
    ids: dict[str, Any] = {}
    annotations: list[tuple[Any, Any]] = []  # (the file's annotation, its element)
    untagged = position = 0
    tagged_pages: list[Any] = []
    for index, (reader, pages) in enumerate(sources):
        targets = writer.pages[position : position + len(pages)]
        position += len(pages)
        source_tree = None if reader is None else reader.root_object.get("/StructTreeRoot")
        if source_tree is None:
            untagged += len(pages)
            for page in targets:
                for key in ("/StructParents", "/Tabs"):
                    if key in page:
                        del page[key]
            continue
        tagged_pages.extend(targets)
        copier = _Copier(
            writer,
            f"{index}-",
            {reader.pages[p].indirect_reference.idnum: t.indirect_reference
             for p, t in zip(pages, targets, strict=True)},
        )  # fmt: skip
        for p, target in zip(pages, targets, strict=True):
            copier.annotations.update(_matching_annotations(reader.pages[p], target))
        for top in _top_elements(source_tree.get_object()):
            page = top.get_object().raw_get("/Pg") if "/Pg" in top.get_object() else None
            if page is not None and page.idnum in copier.pages:
                kids.append(copier.element(top, document_reference))
        parents = _number_tree(source_tree.get_object().get("/ParentTree"))
        for p, target in zip(pages, targets, strict=True):
            marked = parents.get(reader.pages[p].get("/StructParents"))
            if marked is None:
                continue
            own = ArrayObject(copier.copies.get(getattr(e, "idnum", -1)) or _null() for e in marked)
            target[NameObject("/StructParents")] = NumberObject(len(nums))
            target[NameObject("/Tabs")] = NameObject("/S")
            nums.append((len(nums), writer._add_object(own)))
        for source_annotation, annotation in copier.annotations.items():
            element = parents.get(_get(reader, source_annotation).get("/StructParent"))
            copy = copier.copies.get(getattr(element, "idnum", -1))
            if copy is not None:
                annotations.append((annotation, copy))
        ids.update(copier.ids)
    matched = {annotation.idnum for annotation, _ in annotations}
    for page in tagged_pages:  # a national PDF's own annotations stay as they came
        for annotation in page.get("/Annots") or []:
            if hasattr(annotation, "idnum") and annotation.idnum not in matched:
                element = _loose_annotation(writer, page, annotation, document_reference)
                if element is not None:
                    kids.append(element)
                    annotations.append((annotation, element))
    for annotation, element in annotations:
        annotation.get_object()[NameObject("/StructParent")] = NumberObject(len(nums))
        nums.append((len(nums), element))
    document[NameObject("/K")] = kids
    tree[NameObject("/K")] = ArrayObject([document_reference])
    tree[NameObject("/ParentTree")] = writer._add_object(
        DictionaryObject(
            {NameObject("/Nums"): ArrayObject(x for n, v in nums for x in (NumberObject(n), v))}
        )
    )
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(len(nums))
    if ids:
        tree[NameObject("/IDTree")] = _name_tree(writer, ids)
    writer._root_object[NameObject("/StructTreeRoot")] = root
    return untagged


def _loose_annotation(writer: Any, page: Any, annotation: Any, parent: Any) -> Any:
    """A structure element for an annotation fsdocs added to the joined file (a link of the
    index), filed at the end of the document; None for other kinds."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    target = annotation.get_object()
    kind = {"/Widget": "/Form", "/Link": "/Link"}.get(str(target.get("/Subtype")))
    # A signature field stays out of the tree: each signature fills its field, and a field
    # the tree points at is, to a signature validator (pyHanko), a change beyond form filling
    # that casts doubt on the signatures before it. The file is then not declared PDF/UA.
    if kind is None or target.get("/FT") == "/Sig":
        return None
    description = target.get("/TU") or target.get("/Contents")
    if description is None and kind == "/Link":
        destination = target.get("/Dest")
        pages = [p.indirect_reference for p in writer.pages]
        if isinstance(destination, list) and destination and destination[0] in pages:
            description = f"Aller à la page {pages.index(destination[0]) + 1}"
            target[NameObject("/Contents")] = TextStringObject(description)
    reference = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OBJR"),
            NameObject("/Obj"): annotation,
            NameObject("/Pg"): page.indirect_reference,
        }
    )
    element = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject(kind),
            NameObject("/P"): parent,
            NameObject("/Pg"): page.indirect_reference,
            NameObject("/K"): ArrayObject([writer._add_object(reference)]),
        }
    )
    if description is not None:
        element[NameObject("/Alt")] = TextStringObject(str(description))
    page[NameObject("/Tabs")] = NameObject("/S")
    return writer._add_object(element)


def _top_elements(tree: Any) -> list[Any]:
    """The elements under the source's /Document (WeasyPrint's), or under its root."""
    kids = tree.get("/K")
    kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
    if len(kids) == 1 and kids[0].get_object().get("/S") == "/Document":
        inner = kids[0].get_object().get("/K")
        return list(inner) if isinstance(inner, list) else [] if inner is None else [inner]
    return list(kids)


def _matching_annotations(source: Any, target: Any) -> dict[int, Any]:
    """Source annotation → the file's, matched by kind and rectangle (pypdf clones them, and
    leaves out links whose destination is not in the file)."""
    found: dict[int, Any] = {}
    theirs = [a for a in source.get("/Annots") or [] if hasattr(a, "idnum")]
    ours = [a for a in target.get("/Annots") or [] if hasattr(a, "idnum")]
    for annotation in theirs:
        shape = _shape(annotation.get_object())
        for candidate in ours:
            if _shape(candidate.get_object()) == shape:
                found[annotation.idnum] = candidate
                ours.remove(candidate)
                break
    return found


def _shape(annotation: Any) -> tuple[str, tuple[float, ...]]:
    rect = annotation.get("/Rect") or []
    return str(annotation.get("/Subtype")), tuple(round(float(v), 2) for v in rect)


def _get(reader: Any, number: int) -> Any:
    return reader.get_object(number)


def _number_tree(node: Any, depth: int = 0) -> dict[int, Any]:
    """A number tree's entries (the parent tree), its /Kids followed."""
    found: dict[int, Any] = {}
    if node is None or depth > 32:
        return found
    node = node.get_object()
    nums = node.get("/Nums") or []
    for position in range(0, len(nums) - 1, 2):
        value = nums[position + 1]
        target = value.get_object() if hasattr(value, "get_object") else value
        found[int(nums[position])] = target if isinstance(target, list) else value
    for kid in node.get("/Kids") or []:
        found.update(_number_tree(kid, depth + 1))
    return found


def _name_tree(writer: Any, entries: dict[str, Any]) -> Any:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    names = ArrayObject()
    for name in sorted(entries):
        names += [TextStringObject(name), entries[name]]
    return writer._add_object(DictionaryObject({NameObject("/Names"): names}))


def _null() -> Any:
    from pypdf.generic import NullObject

    return NullObject()
