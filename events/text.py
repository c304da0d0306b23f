"""Organisers' Markdown as plain text, for calendars and text e-mails."""

import html
import re

import nh3

from .markdown import render_markdown

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|tr|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)


def plain_text(markdown_text):
    markup = _BLOCK_END.sub("\n", str(render_markdown(markdown_text)))
    # nh3 escapes what it keeps; a plain-text channel wants the characters back.
    text = html.unescape(nh3.clean(markup, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
