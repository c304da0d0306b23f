"""The report's tables as HTML, written here rather than in template loops:
a report holds a thousand and more cells, and the template engine's per-cell
cost made up most of the page's time (bench/report.py)."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify

register = template.Library()


def _cells(values, tag="td", css="number", scope=None):
    scope = f' scope="{scope}"' if scope else ""
    return "".join(f'<{tag}{scope} class="{css}">{conditional_escape(value)}</{tag}>' for value in values)


@register.simple_tag
def report_table(table, region=True):
    """A table of counts with its caption and header cells; in a labelled,
    focusable region that scrolls on its own when the table is wider than
    the screen (``region=False`` for print)."""
    caption_id = f"table-{slugify(table.caption)}"
    totals = ['<th scope="col" class="number">Total</th>'] if table.row_totals else []
    head = "".join(
        [
            f'<th scope="col">{conditional_escape(table.row_header)}</th>',
            _cells(table.columns, tag="th", scope="col"),
            *totals,
        ]
    )
    rows = table.rows
    body = []
    for number, row in enumerate(rows, start=1):
        total = _cells([row["total"]]) if table.row_totals else ""
        last = ' class="total"' if number == len(rows) else ""
        body.append(
            f'<tr{last}><th scope="row">{conditional_escape(row["label"])}</th>{_cells(row["cells"])}{total}</tr>'
        )
    html = (
        f'<table><caption id="{caption_id}">{conditional_escape(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
    if region:
        html = f'<div class="report-table" role="region" aria-labelledby="{caption_id}" tabindex="0">{html}</div>'
    # Every value above went through conditional_escape.
    return mark_safe(html)


@register.simple_tag
def answer_table(question):
    """One question's answers per score or choice."""
    label = question.text + (f" ({question.session})" if question.session else "")
    header = "Score" if question.kind == "scale" else "Answer"
    rows = "".join(
        format_html('<tr><th scope="row">{}</th><td class="number">{}</td></tr>', choice, count)
        for choice, count in question.counts
    )
    return format_html(
        '<div class="report-table" role="region" aria-label="Answers to: {}" tabindex="0">'
        '<table class="report-answers"><caption class="visually-hidden">Answers to: {}</caption>'
        '<thead><tr><th scope="col">{}</th><th scope="col" class="number">Answers</th></tr></thead>'
        "<tbody>{}</tbody></table></div>",
        label,
        label,
        header,
        mark_safe(rows),  # each row made by format_html
    )
