"""What a progress page and its status URL say about slow work (a programme or
list being typeset, a desk document, a message being sent): one dictionary,
rendered into the page for its first view and answered as JSON to
static/js/progress.js, which polls it. The page and the poll never disagree,
because both read it from the same function of each kind."""

from django.http import JsonResponse

PENDING, RUNNING, READY, DONE, FAILED = "pending", "running", "ready", "done", "failed"
FINISHED = {READY, DONE, FAILED}


def status(state, text, *, done=None, total=None, url=None, url_label=None):
    """``state``: pending/running while the work goes on; ready (a file at
    ``url``), done (finished, nothing to open) or failed when it is over.
    ``text`` is the sentence the live region announces; ``done`` of ``total``
    fills the progress bar when the work can be counted."""
    answer = {"state": state, "text": text, "done": done, "total": total, "finished": state in FINISHED}
    if url:
        answer["url"] = url
        answer["url_label"] = url_label or "Open it"
    return answer


def status_response(answer):
    response = JsonResponse(answer)
    response["Cache-Control"] = "no-store"
    return response
