"""Small-cell suppression for what is shared outside the organisers.

APEC's guidance is that published numbers must not identify individuals: a
count of 1 or 2 people ("the one woman from economy X") can. Such a count is
shown as "<3". A 0 stays 0: it describes nobody, and APEC's completion report
asks for the economies and groups that took no part.

Hiding a cell is not enough when its line also shows a total: the total minus
the other cells gives it back. So when a row or a column (totals included)
holds exactly one hidden cell, its smallest other non-zero cell is hidden too,
and this is repeated until no line has a lone hidden cell that another could
join. (A line left with one hidden cell beside zeros gives back a count of 3
or more: were it 1 or 2, its total would be too, and hidden.) Totals
themselves are hidden only when they are 1 or 2. This is the usual "secondary
suppression" of statistical offices, in its simple greedy form: enough to stop
a reader's subtraction along any one line, which is what a table invites.
"""

SMALL = "<3"
THRESHOLD = 3


def is_small(value):
    return isinstance(value, int) and 0 < value < THRESHOLD


def show(value):
    """One count on its own (no line to subtract from)."""
    return SMALL if is_small(value) else value


def grid(cells):
    """``cells`` a list of rows of counts, the last row and the last column
    being the totals: the same shape with small cells (and those that would
    give them away) as "<3"."""
    hidden = {(r, c) for r, row in enumerate(cells) for c, value in enumerate(row) if is_small(value)}
    lines = [[(r, c) for c in range(len(row))] for r, row in enumerate(cells)]
    width = max((len(row) for row in cells), default=0)
    lines += [[(r, c) for r in range(len(cells)) if c < len(cells[r])] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            lone = [point for point in line if point in hidden]
            if len(lone) != 1:
                continue
            # A line's total is its last point; hiding it would not stop the
            # subtraction along the other direction, so an inner cell is hidden.
            others = [point for point in line[:-1] if point not in hidden and cells[point[0]][point[1]] > 0]
            if not others:
                continue
            hidden.add(min(others, key=lambda point: (cells[point[0]][point[1]], point)))
            changed = True
    return [[SMALL if (r, c) in hidden else value for c, value in enumerate(row)] for r, row in enumerate(cells)]


def line(counts, total):
    """Counts with their total (an answer's 1–5 spread, a question's choices):
    the counts as ``grid`` would show them in one row, and the total."""
    shown = grid([[*counts, total]])[0]
    return shown[:-1], shown[-1]
