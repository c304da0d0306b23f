"""Organisers' Markdown as plain text, for calendars and text e-mails."""

import html
import re
import unicodedata

import nh3

from .markdown import render_markdown

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|tr|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(markup):
    """Sanitised HTML (as stored at publication) to plain text."""
    markup = _BLOCK_END.sub("\n", str(markup))
    # nh3 escapes what it keeps; a plain-text channel wants the characters back.
    text = html.unescape(nh3.clean(markup, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def plain_text(markdown_text):
    return html_to_text(render_markdown(markdown_text))


def _is_break_or_control(character):
    # Cc: C0 and C1 controls (NUL, CR, LF, \v, \f, \x1c–\x1e, \x85 …);
    # Zl, Zp: U+2028 and U+2029. str.splitlines() splits on all of these.
    return unicodedata.category(character) in {"Cc", "Zl", "Zp"}


def one_line(text):
    """Text for a place that must be one line (a mail header, a calendar name):
    every control or line-separating character becomes a space."""
    text = str(text)
    if text.isprintable():  # the common case: nothing to replace
        return text
    return "".join(" " if _is_break_or_control(character) else character for character in text)


def single_line_title(text):
    """A title as typed, made one line: line breaks and controls become
    spaces, runs of spaces one, the ends trimmed."""
    return " ".join(one_line(text).split())
