"""Names defined by WAI-ARIA 1.2 (with the 1.3 additions browsers ship), DPUB-ARIA 1.1 and Graphics-ARIA."""

from __future__ import annotations

ROLES = frozenset(
    {
        "alert", "alertdialog", "application", "article", "banner", "blockquote", "button", "caption",
        "cell", "checkbox", "code", "columnheader", "combobox", "comment", "complementary", "contentinfo",
        "definition", "deletion", "dialog", "directory", "doc-abstract", "doc-acknowledgments",
        "doc-afterword", "doc-appendix", "doc-backlink", "doc-biblioentry", "doc-bibliography",
        "doc-biblioref", "doc-chapter", "doc-colophon", "doc-conclusion", "doc-cover", "doc-credit",
        "doc-credits", "doc-dedication", "doc-endnote", "doc-endnotes", "doc-epigraph", "doc-epilogue",
        "doc-errata", "doc-example", "doc-footnote", "doc-foreword", "doc-glossary", "doc-glossref",
        "doc-index", "doc-introduction", "doc-noteref", "doc-notice", "doc-pagebreak", "doc-pagefooter",
        "doc-pageheader", "doc-pagelist", "doc-part", "doc-preface", "doc-prologue", "doc-pullquote",
        "doc-qna", "doc-subtitle", "doc-tip", "doc-toc", "document", "emphasis", "feed", "figure", "form",
        "generic", "graphics-document", "graphics-object", "graphics-symbol", "grid", "gridcell", "group",
        "heading", "image", "img", "insertion", "link", "list", "listbox", "listitem", "log", "main",
        "mark", "marquee", "math", "menu", "menubar", "menuitem", "menuitemcheckbox", "menuitemradio",
        "meter", "navigation", "none", "note", "option", "paragraph", "presentation", "progressbar",
        "radio", "radiogroup", "region", "row", "rowgroup", "rowheader", "scrollbar", "search", "searchbox",
        "sectionfooter", "sectionheader", "separator", "slider", "spinbutton", "status", "strong",
        "subscript", "suggestion", "superscript", "switch", "tab", "table", "tablist", "tabpanel", "term",
        "textbox", "time", "timer", "toolbar", "tooltip", "tree", "treegrid", "treeitem",
    }
)  # fmt: skip

ATTRIBUTES = frozenset(
    {
        "aria-actions", "aria-activedescendant", "aria-atomic", "aria-autocomplete", "aria-braillelabel",
        "aria-brailleroledescription", "aria-busy", "aria-checked", "aria-colcount", "aria-colindex",
        "aria-colindextext", "aria-colspan", "aria-controls", "aria-current", "aria-describedby",
        "aria-description", "aria-details", "aria-disabled", "aria-dropeffect", "aria-errormessage",
        "aria-expanded", "aria-flowto", "aria-grabbed", "aria-haspopup", "aria-hidden", "aria-invalid",
        "aria-keyshortcuts", "aria-label", "aria-labelledby", "aria-level", "aria-live", "aria-modal",
        "aria-multiline", "aria-multiselectable", "aria-orientation", "aria-owns", "aria-placeholder",
        "aria-posinset", "aria-pressed", "aria-readonly", "aria-relevant", "aria-required",
        "aria-roledescription", "aria-rowcount", "aria-rowindex", "aria-rowindextext", "aria-rowspan",
        "aria-selected", "aria-setsize", "aria-sort", "aria-valuemax", "aria-valuemin", "aria-valuenow",
        "aria-valuetext",
    }
)  # fmt: skip

# Roles that must sit inside one of these roles (WAI-ARIA 1.2 "required context role").
REQUIRED_CONTEXT = {
    "listitem": ("list", "directory"),
    "menuitem": ("menu", "menubar", "group"),
    "menuitemcheckbox": ("menu", "menubar", "group"),
    "menuitemradio": ("menu", "menubar", "group"),
    "option": ("listbox", "group"),
    "row": ("table", "grid", "treegrid", "rowgroup"),
    "rowgroup": ("table", "grid", "treegrid"),
    "cell": ("row",),
    "gridcell": ("row",),
    "columnheader": ("row",),
    "rowheader": ("row",),
    "tab": ("tablist",),
    "treeitem": ("tree", "group"),
}

# States and properties a role needs (WAI-ARIA 1.2 "required states and properties").
REQUIRED_ATTRIBUTES = {
    "checkbox": ("aria-checked",),
    "combobox": ("aria-expanded",),
    "heading": ("aria-level",),
    "menuitemcheckbox": ("aria-checked",),
    "menuitemradio": ("aria-checked",),
    "meter": ("aria-valuenow",),
    "radio": ("aria-checked",),
    "scrollbar": ("aria-controls", "aria-valuenow"),
    "slider": ("aria-valuenow",),
    "switch": ("aria-checked",),
}

# Implicit roles of HTML elements, as far as the rules above need them.
IMPLICIT_ROLES = {
    "ul": "list", "ol": "list", "menu": "list", "table": "table", "tr": "row", "tbody": "rowgroup",
    "thead": "rowgroup", "tfoot": "rowgroup", "td": "cell", "th": "columnheader", "select": "listbox",
    "datalist": "listbox", "li": "listitem", "option": "option", "h1": "heading", "h2": "heading",
    "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading", "meter": "meter", "hr": "separator",
    "optgroup": "group", "fieldset": "group", "details": "group",
}  # fmt: skip

INPUT_ROLES = {"checkbox": "checkbox", "radio": "radio", "range": "slider"}

# Roles on which WAI-ARIA prohibits naming (aria-label, aria-labelledby, aria-braillelabel).
NAME_PROHIBITED = frozenset(
    {
        "caption", "code", "deletion", "emphasis", "generic", "insertion", "none", "paragraph",
        "presentation", "strong", "subscript", "superscript",
    }
)  # fmt: skip
ROLEDESCRIPTION_PROHIBITED = frozenset({"generic", "none", "presentation"})

# HTML elements whose implicit role is one of the above (HTML-AAM).
TEXT_LEVEL_ROLES = {
    "div": "generic", "span": "generic", "b": "generic", "i": "generic", "u": "generic",
    "small": "generic", "bdi": "generic", "bdo": "generic", "q": "generic", "data": "generic",
    "s": "deletion", "del": "deletion", "ins": "insertion", "em": "emphasis", "strong": "strong",
    "code": "code", "sub": "subscript", "sup": "superscript", "p": "paragraph", "caption": "caption",
}  # fmt: skip

# Roles whose children are presentational: nothing inside them may take keyboard focus.
PRESENTATIONAL_CHILDREN = frozenset(
    {
        "button", "checkbox", "img", "menuitemcheckbox", "menuitemradio", "meter", "option", "progressbar",
        "radio", "scrollbar", "separator", "slider", "switch", "tab",
    }
)  # fmt: skip

# Allowed values of ARIA states and properties with a fixed value type (WAI-ARIA 1.2, "Value" of each).
_BOOLEAN = ("true", "false")
_TRISTATE = ("true", "false", "mixed", "undefined")
_OPTIONAL_BOOLEAN = ("true", "false", "undefined")
TOKEN_VALUES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("aria-atomic", "aria-busy", "aria-disabled", "aria-modal", "aria-multiline",
         "aria-multiselectable", "aria-readonly", "aria-required"),
        _BOOLEAN,
    ),
    **dict.fromkeys(("aria-expanded", "aria-hidden", "aria-selected", "aria-grabbed"), _OPTIONAL_BOOLEAN),
    **dict.fromkeys(("aria-checked", "aria-pressed"), _TRISTATE),
    "aria-autocomplete": ("inline", "list", "both", "none"),
    "aria-current": ("page", "step", "location", "date", "time", "true", "false"),
    "aria-haspopup": ("false", "true", "menu", "listbox", "tree", "grid", "dialog"),
    "aria-invalid": ("grammar", "false", "spelling", "true"),
    "aria-live": ("assertive", "off", "polite"),
    "aria-orientation": ("horizontal", "vertical", "undefined"),
    "aria-sort": ("ascending", "descending", "none", "other"),
}  # fmt: skip
TOKEN_LIST_VALUES: dict[str, tuple[str, ...]] = {
    "aria-relevant": ("additions", "removals", "text", "all"),
    "aria-dropeffect": ("copy", "execute", "link", "move", "none", "popup"),
}
INTEGER_ATTRIBUTES = frozenset(
    {
        "aria-colcount", "aria-colindex", "aria-colspan", "aria-level", "aria-posinset", "aria-rowcount",
        "aria-rowindex", "aria-rowspan", "aria-setsize",
    }
)  # fmt: skip
NUMBER_ATTRIBUTES = frozenset({"aria-valuemax", "aria-valuemin", "aria-valuenow"})

# Roles whose children must have one of these roles (WAI-ARIA 1.2 "required owned elements"; separator is
# also accepted in menus, as browsers do).
REQUIRED_OWNED = {
    "grid": ("row", "rowgroup"),
    "list": ("listitem",),
    "listbox": ("option", "group"),
    "menu": ("menuitem", "menuitemcheckbox", "menuitemradio", "group", "separator"),
    "menubar": ("menuitem", "menuitemcheckbox", "menuitemradio", "group", "separator"),
    "row": ("cell", "columnheader", "gridcell", "rowheader"),
    "rowgroup": ("row",),
    "table": ("row", "rowgroup"),
    "tablist": ("tab",),
    "tree": ("treeitem", "group"),
    "treegrid": ("row", "rowgroup"),
    "feed": ("article",),
}
