"""Where apps that build on registrations add to its pages, since
registrations may not import them (tests/test_architecture.py). Each hook is
registered in the other app's AppConfig.ready(); attendance/apps.py adds the
participant's sessions and join links to their registration page and the
sessions attended to the certificate of attendance."""

_detail_sections = []
_mine_sections = []
_attendance_summaries = []
_register_extras = []
_export_columns = []


def add_detail_section(hook):
    """``hook(request, registration) -> str``: safe HTML placed on the
    participant's registration page (empty for nothing)."""
    _detail_sections.append(hook)


def detail_sections(request, registration):
    return [html for hook in _detail_sections if (html := hook(request, registration))]


def add_mine_section(hook):
    """``hook(request) -> str``: safe HTML placed on the signed-in person's
    "My registrations" page (empty for nothing); at most one query each."""
    _mine_sections.append(hook)


def mine_sections(request):
    return [html for hook in _mine_sections if (html := hook(request))]


def add_attendance_summary(hook):
    """``hook(registration) -> object or None``: what the person attended,
    with ``any`` (true when something was recorded), ``attended`` (items with
    ``item.title`` and ``when``) and ``share`` (per cent of the meeting's time)."""
    _attendance_summaries.append(hook)


def attendance_summary(registration):
    for hook in _attendance_summaries:
        summary = hook(registration)
        if summary is not None:
            return summary
    return None


def add_register_extra(extra):
    """More questions on the register form (questions/). ``extra`` has
    ``fields(event) -> {name: Field}`` (added to the form),
    ``clean(form, cleaned_data)`` (called by the form's clean(), may
    ``form.add_error``) and ``save(form, registration, actor)`` (called after
    services.register succeeds, in the same transaction)."""
    _register_extras.append(extra)


def register_extras():
    return list(_register_extras)


def add_export_columns(hook):
    """``hook(registrations) -> [(title, read)]``: more columns of the desk's
    registrations export, ``read(registration) -> text``; at most one query
    for all the rows."""
    _export_columns.append(hook)


def export_columns(registrations):
    return [column for hook in _export_columns for column in hook(registrations)]
