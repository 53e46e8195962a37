"""Markup rules (MKP): what the HTML alone decides about ids, tables and frames."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import Comment, Tag

from ..aria import PRESENTATIONAL, accessible_name, attr, is_presentational, role_of
from ..ariadata import (
    ATTRIBUTES,
    IMPLICIT_ROLES,
    INPUT_ROLES,
    INTEGER_ATTRIBUTES,
    NAME_PROHIBITED,
    NUMBER_ATTRIBUTES,
    PRESENTATIONAL_CHILDREN,
    REQUIRED_ATTRIBUTES,
    REQUIRED_CONTEXT,
    REQUIRED_OWNED,
    ROLEDESCRIPTION_PROHIBITED,
    ROLES,
    TEXT_LEVEL_ROLES,
    TOKEN_LIST_VALUES,
    TOKEN_VALUES,
)
from ..context import RuleContext
from ..document import Document, normalize_space
from ..model import Finding
from ..registry import rule

_NEGATIVE_INTEGER = re.compile(r"^\s*-0*[1-9][0-9]*\s*$")
_ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "for", "headers")


def _referenced_ids(doc: Document) -> set[str]:
    found: set[str] = set()
    for name in _ID_REFERENCES:
        for el in doc.with_attr(name):
            value = attr(el, name)
            if value:
                found.update(value.split())
    for el in doc.with_attr("href"):
        href = attr(el, "href") or ""
        if href.startswith("#") and len(href) > 1:
            found.add(href[1:])
    for el in doc.with_attr("usemap"):
        usemap = attr(el, "usemap") or ""
        if usemap.startswith("#"):
            found.add(usemap[1:])
    return found


@rule(
    id="MKP001",
    name="duplicate-id",
    severity="warning",
    wcag=["1.3.1", "4.1.2"],
    act=["3ea0c8"],
    summary="Two elements share the same id.",
    why=(
        "Labels, descriptions and in-page links find their target by id; with two elements of the same "
        "id, browsers use the first and the other is lost. An error when something refers to that id "
        "(then a label or link is certainly wrong), otherwise a warning."
    ),
    fix="Give each element its own id, and update whatever refers to it.",
    bad=['<p id="intro">One</p><p id="intro">Two</p>'],
    good=['<p id="intro">One</p><p id="details">Two</p>'],
)
def duplicate_id(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    referenced: set[str] | None = None
    for ident, elements in doc.ids.items():
        if len(elements) < 2:
            continue
        if referenced is None:
            referenced = _referenced_ids(doc)
        severity = "error" if ident in referenced else None
        for el in elements[1:]:
            yield ctx.report(el, f'The id "{ident[:40]}" is used more than once', severity=severity)


def _iframe_applies(doc: Document, el: Tag) -> bool:
    if doc.is_hidden(el) or role_of(el) in PRESENTATIONAL:
        return False
    tabindex = attr(el, "tabindex")
    return not (tabindex is not None and _NEGATIVE_INTEGER.match(tabindex) is not None)


@rule(
    id="MKP002",
    name="iframe-missing-title",
    severity="error",
    wcag=["4.1.2"],
    act=["cae760"],
    summary="An embedded frame (iframe) has no title.",
    why=(
        "Screen readers announce a frame by its title; an embedded video, map or form without one is "
        "just 'frame' (WCAG technique H64; ACT rule 'Iframe element has non-empty accessible name')."
    ),
    fix='Add a title saying what the frame holds, e.g. title="Video: the spring fair in two minutes".',
    bad=['<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>'],
    good=[
        '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video: the spring fair"></iframe>'
    ],
)
def iframe_missing_title(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in doc.by_tag("iframe"):
        if _iframe_applies(doc, el) and not accessible_name(doc, el):
            yield ctx.report(el, "Embedded frame has no title")


def _is_layout(table: Tag) -> bool:
    return is_presentational(table)


def _rows(table: Tag) -> list[Tag]:
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


@rule(
    id="MKP003",
    name="table-without-headers",
    severity="warning",
    wcag=["1.3.1"],
    summary="A table of data has no header cells.",
    why=(
        "Header cells (<th>) let screen readers say which row and column a value belongs to; without them "
        "a table is a list of numbers (WCAG technique H51). A table used only for layout needs none, and "
        "markup cannot always tell which it is, so this is a warning (mark layout tables "
        'role="presentation").'
    ),
    fix="Make the first row (or column) header cells: <th> in HTML, the header row of a Markdown table.",
    bad=["<table><tr><td>Mon</td><td>9-5</td></tr><tr><td>Tue</td><td>9-1</td></tr></table>"],
    good=[
        "| Day | Hours |\n| --- | --- |\n| Mon | 9-5 |\n| Tue | 9-1 |",
        '<table role="presentation"><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>',
    ],
)
def table_without_headers(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for table in doc.by_tag("table"):
        if doc.is_hidden(table) or _is_layout(table):
            continue
        rows = _rows(table)
        if len(rows) < 2 or max(len(r.find_all(("td", "th"), recursive=False)) for r in rows) < 2:
            continue
        has_header = any(
            c.name == "th" or role_of(c) in ("columnheader", "rowheader")
            for r in rows
            for c in r.find_all(("td", "th"), recursive=False)
        )
        if not has_header:
            yield ctx.report(table, "Table has no header cells")


@rule(
    id="MKP004",
    name="table-header-empty",
    severity="warning",
    wcag=["1.3.1"],
    summary="A table header cell is empty.",
    why=(
        "Screen readers read a column's header before each value; an empty header says nothing (axe-core "
        "'empty-table-header'). A blank top-left corner cell is common and not flagged."
    ),
    fix="Write the column or row name in the header cell, or make it an ordinary cell (<td>).",
    bad=["| Day | |\n| --- | --- |\n| Mon | 9-5 |"],
    good=["| | Hours |\n| --- | --- |\n| Mon | 9-5 |", "| Day | Hours |\n| --- | --- |\n| Mon | 9-5 |"],
)
def table_header_empty(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for th in doc.by_tag("th"):
        if doc.is_hidden(th) or normalize_space(th.get_text(" ")) or accessible_name(doc, th):
            continue
        row = th.find_parent("tr")
        cells = row.find_all(("td", "th"), recursive=False) if row is not None else []
        table = th.find_parent("table")
        first_row = _rows(table)[0] if table is not None and _rows(table) else None
        if cells and cells[0] is th and row is first_row:
            continue  # the corner cell above row headers
        yield ctx.report(th, "Table header cell is empty")


_INPUT_BUTTONS = frozenset({"submit", "reset", "button"})


def _buttons(doc: Document) -> Iterator[Tag]:
    for el in doc.by_tag("button"):
        role = role_of(el)
        if role in ("", "button", "menuitem") or (role in PRESENTATIONAL and not el.has_attr("disabled")):
            yield el
    for el in doc.by_tag("input"):
        if str(el.get("type", "")).strip().lower() in _INPUT_BUTTONS and role_of(el) in ("", "button"):
            yield el
    for el in doc.with_attr("role"):
        if el.name not in ("button", "input") and role_of(el) in ("button", "menuitem"):
            yield el


@rule(
    id="MKP005",
    name="button-missing-name",
    severity="error",
    wcag=["4.1.2"],
    act=["97a4e1", "m6b1q3"],
    summary="A button or menu item has no text or label.",
    why=(
        "A screen reader announces it only as 'button', and voice-control users cannot name it. An "
        "embedded sign-up or donation form needs named buttons (ACT rule 'Button has non-empty accessible "
        "name')."
    ),
    fix="Put words in the button, or give an icon-only button an aria-label saying what it does.",
    bad=[
        '<button type="submit"></button>',
        '<span role="button" tabindex="0"></span>',
        '<div role="menu"><button role="menuitem"><img src="new.svg" alt=""></button></div>',
    ],
    good=['<button type="submit">Sign up</button>', '<button aria-label="Close"><svg></svg></button>'],
)
def button_missing_name(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in _buttons(doc):
        if not doc.is_hidden(el) and not accessible_name(doc, el):
            yield ctx.report(el, "Button has no text or label")


@rule(
    id="MKP006",
    name="summary-missing-name",
    severity="error",
    wcag=["4.1.2"],
    act=["2t702h"],
    summary="The summary of a <details> disclosure has no text.",
    why=(
        "The summary is the control readers press to open the details; without text a screen reader "
        "announces an unnamed button (ACT rule 'Summary element has non-empty accessible name')."
    ),
    fix="Write what the hidden part holds in the <summary>, e.g. <summary>Opening times</summary>.",
    bad=["<details><summary></summary><p>Open nine to five.</p></details>"],
    good=["<details><summary>Opening times</summary><p>Open nine to five.</p></details>"],
)
def summary_missing_name(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for details in doc.by_tag("details"):
        first = next((c for c in details.children if isinstance(c, Tag) and c.name == "summary"), None)
        if first is None or doc.is_hidden(first) or role_of(first) not in ("", *PRESENTATIONAL):
            continue
        if not accessible_name(doc, first):
            yield ctx.report(first, "Disclosure summary has no text")


@rule(
    id="MKP007",
    name="table-headers-attribute-broken",
    severity="error",
    wcag=["1.3.1"],
    act=["a25f45"],
    summary="A table cell's headers attribute points at something that is not a cell of the same table.",
    why=(
        "Screen readers read the cells named in headers before each value; a wrong id, a cell of another "
        "table or the cell itself leaves the value without its header (WCAG technique H43; ACT rule "
        "'Headers attribute specified on a cell refers to cells in the same table element')."
    ),
    fix="Make each id in headers the id of a header cell in the same table, or use scope on the <th>.",
    bad=[
        '<table><tr><th id="cost">Cost</th></tr><tr><td headers="price">£5</td></tr></table>',
    ],
    good=['<table><tr><th id="cost">Cost</th></tr><tr><td headers="cost">£5</td></tr></table>'],
)
def table_headers_attribute_broken(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for cell in doc.with_attr("headers"):
        if cell.name not in ("td", "th"):
            continue
        table = cell.find_parent("table")
        if table is None or doc.is_hidden(table) or role_of(table) not in ("", "table", "grid", "treegrid"):
            continue
        for ident in (attr(cell, "headers") or "").split():
            targets = doc.by_id(ident)
            target = targets[0] if targets else None
            if (
                target is None
                or target is cell
                or target.name not in ("td", "th")
                or target.find_parent("table") is not table
            ):
                yield ctx.report(cell, f'headers="{ident[:30]}" is not a header cell of this table')
                break


_FIELD_ROLES = frozenset(
    {
        "checkbox", "combobox", "listbox", "menuitemcheckbox", "menuitemradio", "radio", "searchbox",
        "slider", "spinbutton", "switch", "textbox",
    }
)  # fmt: skip
_NOT_FIELDS = frozenset({"hidden", "button", "submit", "reset", "image"})


def _form_fields(doc: Document) -> Iterator[Tag]:
    seen: set[int] = set()
    for el in doc.by_tag("input", "select", "textarea"):
        if el.name == "input" and str(el.get("type", "")).strip().lower() in _NOT_FIELDS:
            continue
        role = role_of(el)
        if role in PRESENTATIONAL and el.has_attr("disabled"):
            continue
        if role and role not in PRESENTATIONAL and role not in _FIELD_ROLES:
            continue
        seen.add(id(el))
        yield el
    for el in doc.with_attr("role"):
        if id(el) not in seen and role_of(el) in _FIELD_ROLES:
            yield el


def _label_text(doc: Document, label: Tag) -> str:
    parts = []
    for node in label.descendants:
        if isinstance(node, Tag | Comment) or node.find_parent(("select", "textarea", "option")) is not None:
            continue
        parent = node.parent
        if parent is not None and not doc.is_hidden(parent):
            parts.append(str(node))
    return normalize_space(" ".join(parts))


def _field_name(doc: Document, el: Tag) -> str:
    name = accessible_name(doc, el)
    if name or el.name not in ("input", "select", "textarea"):
        return name
    ident = attr(el, "id")
    if ident:
        for label in doc.by_tag("label"):
            if attr(label, "for") == ident and _label_text(doc, label):
                return _label_text(doc, label)
    wrapping = el.find_parent("label")
    if wrapping is not None and not wrapping.has_attr("for") and _label_text(doc, wrapping):
        return _label_text(doc, wrapping)
    placeholder = attr(el, "placeholder")
    return placeholder.strip() if placeholder else ""


@rule(
    id="MKP008",
    name="form-field-missing-label",
    severity="error",
    wcag=["1.3.1", "4.1.2"],
    act=["e086e5"],
    summary="A form field (text box, list, checkbox) has no label.",
    why=(
        "Without a label, a screen reader announces 'edit text' and nobody knows what to type; a label "
        "that is only nearby text is not tied to the field (WCAG technique H44; ACT rule 'Form field has "
        "non-empty accessible name')."
    ),
    fix='Add <label for="field-id">What to enter</label>, or wrap the field in its <label>.',
    bad=['<p>Email</p><input type="email" name="email">'],
    good=[
        '<label for="email">Email</label><input type="email" id="email">',
        '<label>Email <input type="email"></label>',
    ],
)
def form_field_missing_label(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in _form_fields(doc):
        if not doc.is_hidden(el) and not _field_name(doc, el):
            yield ctx.report(el, "Form field has no label")


@rule(
    id="MKP009",
    name="role-invalid",
    severity="error",
    wcag=["1.3.1", "4.1.2"],
    act=["674b10"],
    summary='A role attribute names no role that exists, such as a misspelt role="lnik".',
    why=(
        "Browsers ignore a role they do not know, so the element is not announced as what the author "
        "meant (ACT rule 'Role attribute has valid value')."
    ),
    fix="Correct the spelling (see the WAI-ARIA role list), or remove the role.",
    bad=['<span role="lnik" tabindex="0">Our partners</span>'],
    good=['<span role="link" tabindex="0">Our partners</span>', '<input role="searchfield searchbox">'],
)
def role_invalid(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in doc.with_attr("role"):
        value = attr(el, "role") or ""
        tokens = value.lower().split()
        if not tokens or doc.is_hidden(el):
            continue
        if not any(token in ROLES for token in tokens):
            yield ctx.report(el, f'role="{value.strip()[:30]}" is not a WAI-ARIA role')


@rule(
    id="MKP010",
    name="aria-attribute-unknown",
    severity="error",
    wcag=["4.1.2"],
    act=["5f99a7"],
    summary="An aria-* attribute does not exist in WAI-ARIA, such as a misspelt aria-labeledby.",
    why=(
        "Browsers ignore unknown ARIA attributes, so the label, state or relationship the author meant is "
        "lost (ACT rule 'ARIA attribute is defined in WAI-ARIA')."
    ),
    fix="Correct the spelling: aria-labelledby (two Ls), aria-describedby, aria-label...",
    bad=['<span id="l">Birthday</span><input aria-labeledby="l">'],
    good=['<span id="l">Birthday</span><input aria-labelledby="l">'],
)
def aria_attribute_unknown(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    unknown = sorted(
        name for name in doc.attribute_names if name.startswith("aria-") and name not in ATTRIBUTES
    )
    found: list[tuple[int, Tag, str]] = []
    for name in unknown:
        for el in doc.with_attr(name):
            found.append((doc.order(el), el, name))
    for _, el, name in sorted(found, key=lambda item: item[0]):
        yield ctx.report(el, f"{name[:40]} is not a WAI-ARIA attribute")


_NEGATIVE_OR_INT = re.compile(r"^\s*(-?)\d+\s*$")


def _in_tab_order(doc: Document, el: Tag) -> bool:
    """Reachable with the Tab key, from markup alone."""
    if doc.is_not_rendered(el):
        return False
    tabindex = attr(el, "tabindex")
    if tabindex is not None:
        match = _NEGATIVE_OR_INT.match(tabindex)
        if match is not None:
            return match.group(1) != "-"
    name = el.name
    if el.has_attr("disabled") and name in ("button", "input", "select", "textarea"):
        return False
    if name in ("a", "area"):
        return el.has_attr("href")
    if name == "input":
        return str(el.get("type", "")).strip().lower() != "hidden"
    if name in ("button", "select", "textarea", "iframe"):
        return True
    if name == "summary":
        parent = el.parent
        return parent is not None and parent.name == "details" and parent.find("summary") is el
    editable = attr(el, "contenteditable")
    return editable is not None and editable.strip().lower() != "false"


@rule(
    id="MKP011",
    name="aria-hidden-focusable",
    severity="error",
    wcag=["1.3.1", "4.1.2"],
    act=["6cfa84"],
    summary='Something hidden with aria-hidden="true" can still be reached with the Tab key.',
    why=(
        "Keyboard users land on a link or button that screen readers say nothing about (ACT rule 'Element "
        "with aria-hidden has no content in sequential focus navigation')."
    ),
    fix='Remove aria-hidden, or take the control out of the tab order (tabindex="-1") or the page.',
    bad=['<div aria-hidden="true"><a href="/donate">Donate</a></div>'],
    good=['<div aria-hidden="true"><a href="/donate" tabindex="-1">Donate</a></div>'],
)
def aria_hidden_focusable(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in doc.with_attr("aria-hidden"):
        if (attr(el, "aria-hidden") or "").strip().lower() != "true":
            continue
        if el.parent is not None and doc.is_hidden(el.parent):
            continue  # reported at the outermost hidden element
        for candidate in (el, *el.find_all(True)):
            if _in_tab_order(doc, candidate):
                yield ctx.report(candidate, "Hidden from screen readers but reachable by keyboard")
                break


_REQUIRED_CONTROLS = ("scrollbar", "combobox")


@rule(
    id="MKP012",
    name="aria-reference-missing",
    severity="error",
    wcag=["1.3.1", "4.1.2"],
    act=["in6db8"],
    summary="aria-labelledby, aria-describedby or a required aria-controls points at no element.",
    why=(
        "The label, description or controlled element is found by id; when none of the ids exists, it "
        "is silently lost (ACT rule 'ARIA required ID references exist')."
    ),
    fix="Use the id of an element on the same page, or remove the attribute.",
    bad=['<input aria-labelledby="name-label">'],
    good=['<span id="name-label">Name</span><input aria-labelledby="name-label">'],
)
def aria_reference_missing(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    found: list[tuple[int, Tag, str]] = []
    for name in ("aria-labelledby", "aria-describedby", "aria-controls"):
        for el in doc.with_attr(name):
            if name == "aria-controls":
                role = role_of(el)
                expanded = (attr(el, "aria-expanded") or "").strip().lower() == "true"
                if role not in _REQUIRED_CONTROLS or (role == "combobox" and not expanded):
                    continue
            ids = (attr(el, name) or "").split()
            if ids and not any(doc.by_id(i) for i in ids):
                found.append((doc.order(el), el, name))
    for _, el, name in sorted(found, key=lambda item: item[0]):
        yield ctx.report(el, f"{name} names no element on the page")


def _implicit_role(el: Tag) -> str:
    if el.name == "input":
        return INPUT_ROLES.get(str(el.get("type", "")).strip().lower(), "")
    return IMPLICIT_ROLES.get(el.name, "")


def _explicit_role(el: Tag) -> str:
    """The first role token browsers accept, or ''."""
    for token in (attr(el, "role") or "").lower().split():
        if token in ROLES:
            return token
    return ""


def _role(el: Tag) -> str:
    role = _explicit_role(el)
    if role in PRESENTATIONAL and is_presentational(el):
        return "none"
    return role if role and role not in PRESENTATIONAL else _implicit_role(el)


def _ignored(el: Tag) -> bool:
    """Left out of the accessibility tree: presentational, or a plain container with no ARIA of its own."""
    role = _role(el)
    if role == "none":
        return True
    if role or el.name not in ("div", "span"):
        return False
    return not any(a.startswith("aria-") for a in el.attrs) and not el.has_attr("tabindex")


@rule(
    id="MKP013",
    name="aria-role-outside-its-container",
    severity="error",
    wcag=["1.3.1"],
    act=["ff89c9"],
    summary="An element with a role such as listitem, row or tab is not inside the role it belongs to.",
    why=(
        "A list item outside a list, or a tab outside a tab list, is announced without its structure "
        "(no 'item 2 of 5'), or not at all (ACT rule 'ARIA required context role')."
    ),
    fix='Put it inside an element with the right role (role="listitem" in role="list"), or drop the role.',
    bad=['<div role="listitem">Opening times</div>'],
    good=['<div role="list"><div role="listitem">Opening times</div></div>'],
)
def aria_role_outside_its_container(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    owners: dict[int, Tag] = {}
    for owner in doc.with_attr("aria-owns"):
        for ident in (attr(owner, "aria-owns") or "").split():
            for owned in doc.by_id(ident)[:1]:
                owners[id(owned)] = owner
    for el in doc.with_attr("role"):
        role = _explicit_role(el)
        allowed = REQUIRED_CONTEXT.get(role)
        if allowed is None or doc.is_hidden(el):
            continue
        parent = owners.get(id(el)) or el.parent
        while isinstance(parent, Tag) and parent.name != "[document]" and _ignored(parent):
            parent = owners.get(id(parent)) or parent.parent
        found = _role(parent) if isinstance(parent, Tag) and parent.name != "[document]" else ""
        if found not in allowed:
            yield ctx.report(el, f'role="{role}" is not inside a {" or ".join(allowed)}')


@rule(
    id="MKP014",
    name="aria-required-attribute-missing",
    severity="error",
    wcag=["4.1.2"],
    act=["4e8ab6"],
    summary="An element with a role lacks a state the role needs, such as aria-checked on a checkbox.",
    why=(
        "Screen readers cannot say whether a custom checkbox is ticked, or a heading's level, without the "
        "state the role requires (ACT rule 'Element with role attribute has required states and "
        "properties')."
    ),
    fix="Add the missing attribute named in the message, or use the native HTML element instead.",
    bad=['<div role="checkbox" tabindex="0">Send me the newsletter</div>'],
    good=[
        '<div role="checkbox" aria-checked="false" tabindex="0">Send me the newsletter</div>',
        '<input type="checkbox" role="checkbox" id="n"><label for="n">Newsletter</label>',
    ],
)
def aria_required_attribute_missing(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    for el in doc.with_attr("role"):
        role = _explicit_role(el)
        needed = REQUIRED_ATTRIBUTES.get(role, ())
        if role == "separator" and _in_tab_order(doc, el):
            needed = ("aria-valuenow",)
        if not needed or doc.is_hidden(el) or role == _implicit_role(el):
            continue
        missing = [name for name in needed if not el.has_attr(name)]
        if missing:
            yield ctx.report(el, f'role="{role}" needs {" and ".join(missing)}')


def _text_level_role(el: Tag) -> str:
    explicit = _explicit_role(el)
    if explicit:
        return explicit
    if el.name == "a" and not el.has_attr("href"):
        return "generic"
    return TEXT_LEVEL_ROLES.get(el.name, "")


_NAMING = ("aria-label", "aria-labelledby", "aria-braillelabel")
_DESCRIBING = ("aria-roledescription", "aria-brailleroledescription")


@rule(
    id="MKP015",
    name="aria-attribute-prohibited",
    severity="warning",
    wcag=["4.1.2"],
    act=["kb1m8s"],
    summary="An aria-label (or role description) is on an element that cannot have one, such as a span.",
    why=(
        "WAI-ARIA forbids naming plain containers and text (div, span, p, em...), so screen readers "
        "ignore the label and the words it was meant to add are lost (ACT rule 'ARIA global properties "
        "not used where prohibited'). The visible text is still read, so this is a warning."
    ),
    fix="Put the words in the visible text (or a visually hidden span), or label an element that has a role.",
    bad=['<span aria-label="Price cut from 100 to 1 euro"><s>€100</s> €1</span>'],
    good=['<a href="/sale" aria-label="Sale: price cut from 100 to 1 euro"><s>€100</s> €1</a>'],
)
def aria_attribute_prohibited(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    found: list[tuple[int, Tag, str]] = []
    for names, roles in ((_NAMING, NAME_PROHIBITED), (_DESCRIBING, ROLEDESCRIPTION_PROHIBITED)):
        for name in names:
            for el in doc.with_attr(name):
                if not doc.is_hidden(el) and _text_level_role(el) in roles:
                    found.append((doc.order(el), el, name))
    reported: set[int] = set()
    for _, el, name in sorted(found, key=lambda item: item[0]):
        if id(el) not in reported:
            reported.add(id(el))
            yield ctx.report(el, f"{name} is not allowed on <{el.name}> and is ignored")


@rule(
    id="MKP016",
    name="focusable-inside-control",
    severity="error",
    wcag=["1.3.1", "4.1.2"],
    act=["307n5z"],
    summary="A link or control sits inside a button, tab or checkbox, whose contents are not announced.",
    why=(
        "The inside of a button, tab, checkbox or image is read as plain text, so a link there can be "
        "reached with the keyboard but is never announced as a link (ACT rule 'Element with "
        "presentational children has no focusable content')."
    ),
    fix="Move the link or control out of the button, tab or checkbox.",
    bad=['<div role="tab" tabindex="0">News <a href="/news">all news</a></div>'],
    good=['<div role="tab" tabindex="0">News</div> <a href="/news">all news</a>'],
)
def focusable_inside_control(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    candidates = [el for el in doc.by_tag("button") if not _explicit_role(el)]
    candidates += [el for el in doc.with_attr("role") if _explicit_role(el) in PRESENTATIONAL_CHILDREN]
    for el in sorted(candidates, key=doc.order):
        if doc.is_hidden(el):
            continue
        inner = next((d for d in el.find_all(True) if _in_tab_order(doc, d)), None)
        if inner is not None:
            yield ctx.report(inner, "Focusable element inside a control is not announced")


_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")


def _value_is_valid(name: str, value: str) -> bool:
    value = value.strip().lower()
    if name in TOKEN_VALUES:
        return value in TOKEN_VALUES[name]
    if name in TOKEN_LIST_VALUES:
        return all(token in TOKEN_LIST_VALUES[name] for token in value.split())
    if name in INTEGER_ATTRIBUTES:
        return bool(_INTEGER.match(value))
    if name in NUMBER_ATTRIBUTES:
        return bool(_NUMBER.match(value))
    return True


@rule(
    id="MKP017",
    name="aria-value-invalid",
    severity="error",
    wcag=["4.1.2"],
    act=["6a7281"],
    summary='An ARIA state has a value it cannot take, such as aria-expanded="collapsed".',
    why=(
        "Browsers ignore a value outside the attribute's allowed set, so the state is not announced "
        "(ACT rule 'ARIA state or property has valid value')."
    ),
    fix='Use one of the allowed values (for aria-expanded: "true" or "false").',
    bad=['<button aria-expanded="collapsed">Menu</button>'],
    good=['<button aria-expanded="false">Menu</button>'],
)
def aria_value_invalid(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    checked = (*TOKEN_VALUES, *TOKEN_LIST_VALUES, *INTEGER_ATTRIBUTES, *NUMBER_ATTRIBUTES)
    found: list[tuple[int, Tag, str, str]] = []
    for name in checked:
        for el in doc.with_attr(name):
            value = attr(el, name) or ""
            if value.strip() and not _value_is_valid(name, value):
                found.append((doc.order(el), el, name, value))
    for _, el, name, value in sorted(found, key=lambda item: item[0]):
        yield ctx.report(el, f'{name}="{value.strip()[:20]}" is not an allowed value')


_HEADER_ROLES = ("columnheader", "rowheader")
_CELL_ROLES = ("cell", "gridcell", "columnheader", "rowheader")


def _span(el: Tag, name: str) -> int:
    value = (attr(el, name) or "1").strip()
    return max(1, min(int(value), 1000)) if value.isascii() and value.isdecimal() else 1


def _table_grid(doc: Document, table: Tag) -> list[tuple[Tag, int, int, int, int]]:
    """(cell, first row, first column, row span, column span) for each cell of an HTML or ARIA table."""
    if table.name == "table":
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        cells_of = [[c for c in tr.find_all(("td", "th"), recursive=False)] for tr in rows]
    else:
        rows = [r for r in table.find_all(True) if _explicit_role(r) == "row"]
        rows = [
            r
            for r in rows
            if r.find_parent(lambda t: _explicit_role(t) in ("table", "grid", "treegrid")) is table
        ]
        cells_of = [
            [c for c in r.find_all(True, recursive=False) if _explicit_role(c) in _CELL_ROLES] for r in rows
        ]
    taken: set[tuple[int, int]] = set()
    grid: list[tuple[Tag, int, int, int, int]] = []
    for r, cells in enumerate(cells_of):
        column = 0
        for cell in cells:
            while (r, column) in taken:
                column += 1
            rowspan = _span(cell, "rowspan") if cell.name in ("td", "th") else 1
            colspan = _span(cell, "colspan") if cell.name in ("td", "th") else 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, column + dc))
            grid.append((cell, r, column, rowspan, colspan))
            column += colspan
    return grid


def _header_kind(cell: Tag, row_cells: list[Tag]) -> str | None:
    role = _explicit_role(cell)
    if role in _HEADER_ROLES:
        return role
    if cell.name != "th" or role:
        return None
    scope = (attr(cell, "scope") or "").strip().lower()
    if scope in ("row", "rowgroup"):
        return "rowheader"
    if scope in ("col", "colgroup"):
        return "columnheader"
    has_data = any(c.name == "td" or _explicit_role(c) in ("cell", "gridcell") for c in row_cells)
    return "rowheader" if has_data and row_cells and row_cells[0] is cell else "columnheader"


@rule(
    id="MKP018",
    name="table-header-without-cells",
    severity="warning",
    wcag=["1.3.1"],
    act=["d0f69e"],
    summary="A table header cell has no data cells under it (or beside it, for a row header).",
    why=(
        "A header that labels nothing usually means a row is missing cells or the headers attribute "
        "points elsewhere, so screen readers read values under the wrong header (ACT rule 'Table header "
        "cell has assigned cells')."
    ),
    fix="Add the missing cells to the rows, or remove the extra header.",
    bad=["<table><tr><th>Day</th><th>Hours</th></tr><tr><td>Monday</td></tr></table>"],
    good=["<table><tr><th>Day</th><th>Hours</th></tr><tr><td>Monday</td><td>9-5</td></tr></table>"],
)
def table_header_without_cells(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    tables = [t for t in doc.by_tag("table") if _role(t) in ("table", "grid", "treegrid")]
    tables += [
        t for t in doc.with_attr("role") if t.name != "table" and _explicit_role(t) in ("table", "grid")
    ]
    for table in sorted(tables, key=doc.order):
        if doc.is_hidden(table):
            continue
        grid = _table_grid(doc, table)
        by_row: dict[int, list[Tag]] = {}
        for cell, r, *_ in grid:
            by_row.setdefault(r, []).append(cell)
        explicit = {id(cell): set((attr(cell, "headers") or "").split()) for cell, *_ in grid}
        for cell, r, c, rowspan, colspan in grid:
            kind = _header_kind(cell, by_row[r])
            if kind is None or doc.is_hidden(cell):
                continue
            ident = attr(cell, "id")
            assigned = False
            for other, orow, ocol, orowspan, ocolspan in grid:
                if other is cell:
                    continue
                named = explicit[id(other)]
                if named:
                    assigned = bool(ident) and ident in named
                elif kind == "columnheader":
                    assigned = orow >= r + rowspan and ocol < c + colspan and ocol + ocolspan > c
                else:
                    assigned = ocol >= c + colspan and orow < r + rowspan and orow + orowspan > r
                if assigned:
                    break
            if not assigned:
                yield ctx.report(cell, "Header cell has no cells under or beside it")


def _owner_role(el: Tag) -> str:
    role = _role(el)
    if el.name == "select" and not _explicit_role(el):
        size = (attr(el, "size") or "").strip()
        return "listbox" if el.has_attr("multiple") or (size.isdecimal() and int(size) > 1) else ""
    return role


def _owned(doc: Document, el: Tag, owns: dict[int, list[Tag]]) -> list[Tag]:
    """Child elements in the accessibility tree: role none/presentation children are see-through."""
    found: list[Tag] = []
    for child in [*(c for c in el.children if isinstance(c, Tag)), *owns.get(id(el), [])]:
        if doc.is_hidden(child) or child.name in ("script", "style", "template", "caption", "colgroup"):
            continue
        if _role(child) == "none":
            found.extend(_owned(doc, child, owns))
        else:
            found.append(child)
    return found


def _child_role(el: Tag) -> str:
    role = _role(el)
    if role in ("cell",) or (not role and el.name == "td"):
        return "cell"
    return "group" if el.name == "optgroup" and not _explicit_role(el) else role


@rule(
    id="MKP019",
    name="aria-required-children-missing",
    severity="error",
    wcag=["1.3.1"],
    act=["bc4a75"],
    summary="A list, menu, table or tab list holds an element that is not one of its items.",
    why=(
        "Screen readers count and announce the items of a list, menu or tab list by their roles; an "
        "element with another role breaks the structure ('list, 3 items' becomes wrong or silent) (ACT "
        "rule 'ARIA required owned elements')."
    ),
    fix='Give each child the item role (role="listitem" in a list, role="tab" in a tab list).',
    bad=['<div role="list"><span>Opening times</span></div>'],
    good=['<div role="list"><span role="listitem">Opening times</span></div>', "<ul><li>One</li></ul>"],
)
def aria_required_children_missing(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    owns: dict[int, list[Tag]] = {}
    for owner in doc.with_attr("aria-owns"):
        for ident in (attr(owner, "aria-owns") or "").split():
            owns.setdefault(id(owner), []).extend(doc.by_id(ident)[:1])
    candidates = [*doc.with_attr("role"), *doc.by_tag("ul", "ol", "table", "select", "tr")]
    seen: set[int] = set()
    for el in sorted(candidates, key=doc.order):
        if id(el) in seen:
            continue
        seen.add(id(el))
        role = _owner_role(el)
        allowed = REQUIRED_OWNED.get(role)
        if allowed is None or doc.is_hidden(el):
            continue
        if (attr(el, "aria-busy") or "").strip().lower() == "true":
            continue
        stray = _stray_child(doc, el, allowed, owns)
        if stray is not None:
            yield ctx.report(stray, f"An element that is not an item sits in a {role}")


def _stray_child(doc: Document, el: Tag, allowed: tuple[str, ...], owns: dict[int, list[Tag]]) -> Tag | None:
    for child in _owned(doc, el, owns):
        role = _child_role(child)
        if role not in allowed:
            return child
        if role == "group" and "group" in allowed:
            nested = _stray_child(doc, child, allowed, owns)
            if nested is not None:
                return nested
    return None
