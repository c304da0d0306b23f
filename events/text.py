"""Organisers' Markdown as plain text, for calendars and text e-mails."""

import html
import re

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
