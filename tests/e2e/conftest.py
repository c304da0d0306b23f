"""Real-browser fixtures: Playwright drives Debian's Chromium against the live
server, every step is screenshotted and checked with axe-core, and every test
fails on a Content-Security-Policy violation the browser reports."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
# axe's own scale; "moderate" and "minor" findings are reported by the tool but do not fail the suite.
BLOCKING_IMPACTS = {"serious", "critical"}

AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(results => results.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
  nodes: v.nodes.map(node => ({target: node.target, summary: node.failureSummary})),
})))"""


def unavailable(what, remedy):
    # On CI a missing tool must fail the run, never turn into a silent skip.
    if os.environ.get("CI"):
        pytest.fail(f"{what}, and CI must run the browser tests.")
    pytest.skip(f"{what}; {remedy}.")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"Chromium is not installed at {CHROMIUM}", "install Debian's chromium package (make test does)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in the test thread, so
    # Django would refuse the test's (synchronous) ORM calls. The variable is set
    # only while the browser lives, so tests collected after this module keep the check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Hands every securitypolicyviolation event of every document (frames too) to
# the test. Init scripts and bindings come in through the DevTools protocol, so
# the page's own policy does not stop them.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", event => {
  window.reportCspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "(inline)"} in ${event.documentURI}`
    + (event.sourceFile ? ` (${event.sourceFile}:${event.lineNumber})` : "")
    + (event.sample ? `: ${event.sample}` : "")
  );
});
"""


class PolicyViolations(list):
    """What the browser refused under the site's Content-Security-Policy: its
    securitypolicyviolation events and its console messages about the policy
    (and about the Permissions-Policy header)."""

    def watch(self, context):
        """Watches every page of ``context``; call before it opens one."""
        context.expose_binding("reportCspViolation", lambda source, text: self.append(text))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", self.console)

    def console(self, message):
        # Chromium also reports a Permissions-Policy header it cannot read
        # ("Unrecognized feature"): a policy it ignores protects nothing.
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            self.append(f"console {message.type}: {message.text}")


@pytest.fixture
def csp_violations():
    return PolicyViolations()


@pytest.fixture
def page(browser, csp_violations):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    csp_violations.watch(context)
    page = context.new_page()
    # A journey step that takes this long is stuck; fail it instead of waiting 30 s.
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not csp_violations, "The browser reported Content-Security-Policy violations:\n" + "\n".join(
        f"- {violation}" for violation in csp_violations
    )


@pytest.fixture(scope="session")
def axe_script():
    if not AXE_SCRIPT.exists():
        unavailable(f"axe-core is not installed ({AXE_SCRIPT} is missing)", "run `npm ci` in the project root")
    return AXE_SCRIPT


class Steps:
    """Records a journey: a numbered full-page screenshot of every step, and an
    axe-core check of the page as it is at that step."""

    def __init__(self, page, directory, axe_script):
        self.page, self.directory, self.axe_script = page, directory, axe_script
        self.count = 0

    def record(self, name):
        self.count += 1
        self.page.wait_for_load_state("load")
        self.page.screenshot(path=self.directory / f"{self.count:02d}-{name}.png", full_page=True)
        self.check_accessibility(name)

    def check_accessibility(self, name):
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated, not added as a <script> element: the site's policy
            # (script-src 'self') refuses inline scripts, and so would refuse axe.
            self.page.evaluate(self.axe_script.read_text(encoding="utf-8"))
        blocking = [v for v in self.page.evaluate(AXE_RUN) if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, (
            f"axe-core found serious or critical violations at step {self.count:02d}-{name} ({self.page.url}):\n"
            + describe_violations(blocking)
        )


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " >> ".join(str(selector) for selector in node["target"])
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def steps(request, page, axe_script):
    directory = ARTIFACTS / request.node.name
    # Screenshots of an earlier run would mix with this run's steps.
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return Steps(page, directory, axe_script)
