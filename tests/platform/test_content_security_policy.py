"""The pages satisfy the Content-Security-Policy that every response carries: the browser reports
no violation (no inline script, style or event handler, nothing from another host)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""

# The results pages need a published study: `test_first_run.py` checks them on the demo's.
PAGES = [
    "/",
    "/en/",
    "/alliances/",
    "/alliances/carte/",
    "/comptes/connexion/",
    "/admin/login/",
    "/api/docs",
    "/territoires/?q=charenton",
]


def test_pages_raise_no_policy_violation(page) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(RECORD_VIOLATIONS)
    found = {}
    for path in PAGES:
        response = page.goto(page.base_url + path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
        if violations := page.evaluate("window.__violations"):
            found[path] = violations
    assert found == {}


def test_scripted_controls_work_under_the_policy(page) -> None:  # type: ignore[no-untyped-def]
    """The language menu submits itself (formerly an inline handler)."""
    page.goto(page.base_url + "/alliances/")
    page.select_option("#language", "en")
    page.wait_for_url("**/en/alliances/")
    assert page.locator("html").get_attribute("lang") == "en"
