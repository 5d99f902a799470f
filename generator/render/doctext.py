"""Description text, the one place its rules live: which links survive, and what is escaped.

Descriptions in an API document are CommonMark written for the vendor's own site. Both docs
formats call `DocText`: the Markdown pages get the text back as Markdown, the HTML pages get
it rendered (markdown-it, raw HTML escaped: it is data, not markup). The link rule is
`DocText.href`, shared by both:

- an absolute `http(s)://` or `mailto:` link is kept;
- a site-relative link (`/docs/models`) resolves against the documentation base the overlay
  names (`docs: {base_url: https://platform.openai.com}`), and without one keeps its text only
  (it would lead nowhere in this reference);
- anything else (a relative path, an anchor into the vendor's page, another scheme) keeps its
  text only.

Each distinct text is rendered once per format (descriptions repeat: a shared field's text
appears on many types).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from markdown_it import MarkdownIt
from markupsafe import Markup

_KEPT_SCHEMES = ("http://", "https://", "mailto:")

# Code spans and fenced blocks: their text is shown as written (links and tags left alone).
_CODE = re.compile(
    r"^[ ]{0,3}(?P<fence>`{3,}|~{3,}).*?(?:^[ ]{0,3}(?P=fence)[ \t]*$|\Z)"
    r"|(?P<ticks>`+)(?:.|\n)*?(?<!`)(?P=ticks)(?!`)",
    re.MULTILINE | re.DOTALL,
)
# An inline link or image: [text](target "title"); the text may hold one level of brackets.
_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]"
    r"\(\s*(?P<target><[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:\s+(?P<title>\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
# A link reference definition: `[label]: /target "title"` on a line of its own.
_DEFINITION = re.compile(
    r"^(?P<head>[ ]{0,3}\[[^\]]+\]:[ \t]*)(?P<target>\S+)(?P<rest>.*)$", re.MULTILINE
)
# A full or collapsed reference link: [text][label], [label][].
_REFERENCE = re.compile(r"\[([^\[\]]+)\]\[([^\[\]]*)\]")
# What CommonMark would take as raw HTML (a tag, comment, declaration or processing
# instruction); autolinks (`<https://...>`) are not: they are kept.
_RAW_HTML = re.compile(r"<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>)")


class DocText:
    """The description rules of one API's reference (its documentation base URL)."""

    def __init__(self, base_url: str = ""):
        self.base_url = base_url.rstrip("/")
        self._renderer = MarkdownIt("commonmark", {"html": False})
        # markdown-it binds a rule to its renderer: plain functions that call back here
        for name, rule in (
            ("link_open", self._link_open),
            ("link_close", self._link_close),
            ("image", self._image),
        ):
            self._renderer.add_render_rule(name, _bound(rule))
        self._open: list[bool] = []  # per open link: whether it was written
        self.markdown = lru_cache(maxsize=None)(self._markdown)
        self.html = lru_cache(maxsize=None)(self._html)

    def href(self, target: str) -> str | None:
        """Where a link in a description leads in this reference, or None for text only."""
        target = target.strip()
        if target.startswith("<") and target.endswith(">"):
            target = target[1:-1].strip()
        if target.lower().startswith(_KEPT_SCHEMES):
            return target
        if target.startswith("/") and not target.startswith("//") and self.base_url:
            return urljoin(self.base_url + "/", target.lstrip("/"))
        return None

    # -- Markdown out -----------------------------------------------------------------

    def _markdown(self, text: str) -> str:
        """The description as Markdown for the .md pages: links by `href`, raw HTML escaped;
        code spans and fenced blocks as written (a link's text may hold code)."""
        code = [(m.start(), m.end()) for m in _CODE.finditer(text)]

        def outside(rule: Any) -> Any:
            def apply(match: re.Match[str]) -> str:
                at = match.start()
                inside = any(start <= at < end for start, end in code)
                return match.group() if inside else str(rule(match))

            return apply

        text = _LINK.sub(outside(self._markdown_link), text)
        code = [(m.start(), m.end()) for m in _CODE.finditer(text)]  # (read by `outside`)
        dropped: set[str] = set()
        text = _DEFINITION.sub(outside(lambda m: self._markdown_definition(m, dropped)), text)
        if dropped:  # `[text][label]` and `[label][]` whose definition is gone: their text
            text = _REFERENCE.sub(
                lambda m: m.group(1) if _label(m.group(2) or m.group(1)) in dropped else m.group(),
                text,
            )
        code = [(m.start(), m.end()) for m in _CODE.finditer(text)]  # (read by `outside`)
        return _RAW_HTML.sub(outside(lambda m: "&lt;"), text)

    def _markdown_link(self, match: re.Match[str]) -> str:
        href = self.href(match.group("target"))
        label = match.group("text")
        if href is None:
            return label
        title = f" {match.group('title')}" if match.group("title") else ""
        return f"{match.group('bang')}[{label}]({_markdown_target(href)}{title})"

    def _markdown_definition(self, match: re.Match[str], dropped: set[str]) -> str:
        href = self.href(match.group("target"))
        if href is None:
            dropped.add(_label(match.group("head").strip()[1:].rsplit("]", 1)[0]))
            return ""
        return f"{match.group('head')}{_markdown_target(href)}{match.group('rest')}"

    # -- HTML out ---------------------------------------------------------------------

    def _html(self, text: str) -> Markup:
        """The description rendered as HTML (CommonMark), links by `href`."""
        return Markup(self._renderer.render(text))

    def _link_open(self, renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        token = tokens[index]
        href = self.href(str(token.attrGet("href") or ""))
        self._open.append(href is not None)
        if href is None:
            return ""
        token.attrSet("href", href)
        return str(renderer.renderToken(tokens, index, options, env))

    def _link_close(self, renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        written = self._open.pop() if self._open else False
        return str(renderer.renderToken(tokens, index, options, env)) if written else ""

    def _image(self, renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        token = tokens[index]
        href = self.href(str(token.attrGet("src") or ""))
        if href is None:
            return str(renderer.renderInlineAsText(token.children or [], options, env))
        token.attrSet("src", href)
        return str(renderer.image(tokens, index, options, env))


def _label(text: str) -> str:
    """A reference label as CommonMark matches it (case and inner spaces do not count)."""
    return " ".join(text.split()).casefold()


def _bound(rule: Any) -> Any:
    def call(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
        return str(rule(renderer, tokens, index, options, env))

    return call


def _markdown_target(href: str) -> str:
    """A link destination as Markdown writes it (in <> when it holds spaces or parentheses)."""
    return f"<{href}>" if re.search(r"[\s()<>]", href) else href


def first_paragraph(text: str) -> str:
    """The text up to its first blank line (a summary of a long description)."""
    return text.strip().split("\n\n", 1)[0].strip()
