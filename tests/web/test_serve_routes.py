"""`prelude serve`'s routes through Starlette's test client: every page, the guard (token,
cookie, Host, CSRF, the feed's own token), and each form refused and accepted, with the
file on disk and `prelude validate` clean afterwards."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from prelude_cli.cli.main import app as cli_app
from prelude_cli.web.app import create_app
from prelude_cli.web.reading import Reader
from prelude_cli.web.security import COOKIE, Secrets

SAMPLE = Path(__file__).resolve().parents[2] / "sample_casebook"
AS_OF = date(2026, 11, 26)
BASE = "http://127.0.0.1:8765"
DISRUPTION = "OP-1ZPNFX"  # a disruption plan open, its proportionality review overdue
SUPPORT = "OP-7FM7H9"  # engaged, with a plan and milestones
IDENTIFIED = "OP-2N4RJP"
NAME = "Zebedee Quartermaine"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(SAMPLE, root)
    # A register naming one person: no page may ever show it.
    (root / "identities.yaml").write_text(f"{SUPPORT}:\n  name: {NAME}\n", encoding="utf-8")
    return root


@pytest.fixture
def served(book: Path) -> Iterator[tuple[TestClient, Secrets, Path]]:
    secrets = Secrets()
    reader = Reader(book, as_of=AS_OF, watch=False)
    client = TestClient(create_app(reader, secrets, "127.0.0.1", 8765), base_url=BASE)
    yield client, secrets, book
    reader.close()


@pytest.fixture
def client(served: tuple[TestClient, Secrets, Path]) -> TestClient:
    """Signed in as the person who opened the printed URL."""
    client, secrets, _ = served
    response = client.get(f"/?token={secrets.token}", follow_redirects=False)
    assert response.status_code == 303
    return client


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli_app, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})
    return result.exit_code, result.stdout


PAGES = ["/due", "/cases", f"/cases/{SUPPORT}", f"/cases/{DISRUPTION}", "/programme",
         "/problems", "/disclosures", f"/cases/{SUPPORT}/record/contact",
         f"/cases/{DISRUPTION}/record/proportionality-review",
         f"/cases/{SUPPORT}/record/assessment", f"/cases/{SUPPORT}/record/milestone",
         f"/cases/{SUPPORT}/record/programme-review"]


# --- the guard -------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", *PAGES, "/static/style.css"])
def test_without_the_cookie_every_page_is_403(served, path: str) -> None:
    client, _, _ = served
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 403
    assert "prelude serve printed" in response.text


def test_the_token_is_exchanged_for_a_strict_httponly_cookie_and_dropped(served) -> None:
    client, secrets, _ = served
    response = client.get(f"/cases?token={secrets.token}&stage=support",
                          follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/cases?stage=support"  # the token is gone
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={secrets.session};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert secrets.token not in cookie
    assert client.get("/cases?stage=support").status_code == 200


def test_a_wrong_token_or_cookie_is_403(served) -> None:
    client, secrets, _ = served
    assert client.get("/due?token=not-it", follow_redirects=False).status_code == 403
    client.cookies.set(COOKIE, "guessed")
    assert client.get("/due").status_code == 403
    # the feed's token opens the feed only
    assert client.get(f"/?token={secrets.feed_token}", follow_redirects=False
                      ).status_code == 403


def test_no_redirect_off_the_site(served) -> None:
    client, secrets, _ = served
    response = client.get(f"//evil.example/?token={secrets.token}", follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith("//")


def test_a_foreign_host_header_is_refused_even_with_the_cookie(client: TestClient) -> None:
    assert client.get("/due").status_code == 200
    response = client.get("/due", headers={"host": "evil.example:8765"})
    assert response.status_code == 403
    assert "Host header" in response.text
    assert client.get("/due", headers={"host": "localhost:8765"}).status_code == 200


def test_every_response_carries_a_strict_policy(client: TestClient) -> None:
    for path in ("/due", "/cases/nope", "/static/style.css"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"
    assert "<script" not in client.get("/due").text


def test_a_post_without_the_csrf_token_is_refused(client: TestClient, book: Path) -> None:
    before = sorted((book / "cases" / SUPPORT).rglob("*.yaml"))
    response = client.post(f"/cases/{SUPPORT}/record/contact", data=contact_fields())
    assert response.status_code == 403
    assert "security token" in response.text
    response = client.post(f"/cases/{SUPPORT}/record/contact",
                           data={**contact_fields(), "csrf": "forged"})
    assert response.status_code == 403
    assert sorted((book / "cases" / SUPPORT).rglob("*.yaml")) == before


def test_a_post_from_another_origin_is_refused(client: TestClient, served) -> None:
    _, secrets, _ = served
    response = client.post(f"/cases/{SUPPORT}/record/contact",
                           data={**contact_fields(), "csrf": secrets.csrf()},
                           headers={"origin": "http://evil.example"})
    assert response.status_code == 403


# --- pages -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    text = response.text
    assert text.startswith("<!DOCTYPE html>") and 'lang="en-GB"' in text
    assert '<a class="skip" href="#main">' in text
    assert text.count('<div class="marking" role="note">OFFICIAL-SENSITIVE</div>') == 2
    assert NAME not in text  # the identity register is never shown


def test_unknown_cases_and_forms_are_404(client: TestClient) -> None:
    assert client.get("/cases/OP-NOPE00").status_code == 404
    assert client.get(f"/cases/{SUPPORT}/record/nothing").status_code == 404
    assert client.get("/cases/..%2F..%2Fetc").status_code == 404


def test_the_due_list_is_due_reviews(client: TestClient, book: Path) -> None:
    """The same items in the same order as `due-reviews --format json`, overdue in words."""
    code, out = cli("due-reviews", "-C", str(book), "--as-of", AS_OF.isoformat(),
                    "--format", "json")
    assert code == 0
    items = json.loads(out)["items"]
    text = client.get("/due").text
    rows = re.findall(r'<th scope="row"><a href="/cases/([^"]+)">[^<]+</a></th>\s*<td>([^<]+)</td>'
                      r'\s*<td class="date">([^<]+)</td>', text)
    assert rows == [(i["case"], i["kind"].replace("-", " "), i["due"]) for i in items]
    overdue = [i for i in items if i["status"] == "overdue"]
    assert overdue and text.count("Overdue by ") == len(overdue)


def test_due_filters_are_links_and_match_the_cli(client: TestClient, book: Path) -> None:
    text = client.get("/due").text
    assert 'href="?kind=proportionality-review"' in text
    assert 'href="?overdue=1"' in text
    code, out = cli("due-reviews", "-C", str(book), "--as-of", AS_OF.isoformat(),
                    "--format", "json", "--overdue-only", "--officer", "PC 4471 Hart")
    wanted = [i["case"] for i in json.loads(out)["items"]]
    text = client.get("/due?overdue=1&officer=PC+4471+Hart").text
    assert re.findall(r'<th scope="row"><a href="/cases/([^"]+)">', text) == wanted
    assert client.get("/due?kind=nonsense").status_code == 400


def test_an_incomplete_case_is_flagged_in_words(client: TestClient, book: Path) -> None:
    (book / "cases" / IDENTIFIED / "identification.yaml").write_text(
        "decisions: [oops\n", encoding="utf-8")
    text = client.get("/due").text
    assert "Incomplete: this case's documents have errors" in text
    assert IDENTIFIED in text and "fix documents" in text
    page = client.get(f"/cases/{IDENTIFIED}").text
    assert "identification.yaml" in page and "error" in page


def test_the_case_list_filters_by_links(client: TestClient) -> None:
    text = client.get("/cases").text
    assert text.count('<th scope="row"><a href="/cases/') == 17
    assert 'href="/cases?stage=support"' in text
    support = client.get("/cases?stage=support").text
    assert support.count('<th scope="row"><a href="/cases/') == 4


def test_the_case_page_has_its_report_documents_and_actions(client: TestClient) -> None:
    text = client.get(f"/cases/{SUPPORT}").text
    assert f"<h1>Case {SUPPORT}</h1>" in text
    for section in ("Timeline", "Documents and their problems"):
        assert section in text
    assert "<svg" in text  # the star chart
    assert f'href="/cases/{SUPPORT}/record/contact"' in text
    assert f'href="/cases/{SUPPORT}/record/milestone"' in text
    assert "record/proportionality-review" not in text  # no open disruption plan
    assert "record/proportionality-review" in client.get(f"/cases/{DISRUPTION}").text


def test_the_programme_page_has_the_reports_figures(client: TestClient, book: Path) -> None:
    code, out = cli("report", "programme", "-C", str(book), "--as-of", AS_OF.isoformat(),
                    "--format", "json")
    assert code == 0
    text = client.get("/programme").text
    figures = json.loads(out)["figures"]
    assert figures
    for key in figures:
        assert f'<section id="{key}">' in text


def test_problems_and_disclosures(client: TestClient, book: Path) -> None:
    assert "No problems." in client.get("/problems").text
    (book / "cases" / IDENTIFIED / "case.yaml").write_text("id: [\n", encoding="utf-8")
    text = client.get("/problems").text
    assert f"cases/{IDENTIFIED}/case.yaml" in text
    assert f'<a href="/cases/{IDENTIFIED}">' in text
    assert "No disclosures recorded." in client.get("/disclosures").text or \
        "<caption>" in client.get("/disclosures").text


def test_the_feed_needs_its_own_token_and_is_the_cli_calendar(served, book: Path) -> None:
    client, secrets, _ = served
    assert client.get("/due.ics").status_code == 403
    assert client.get(f"/due.ics?token={secrets.token}").status_code == 403
    response = client.get(f"/due.ics?token={secrets.feed_token}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert client.post(f"/due.ics?token={secrets.feed_token}").status_code == 403
    code, out = cli("due-reviews", "-C", str(book), "--as-of", AS_OF.isoformat(),
                    "--format", "ics")
    uids = re.findall(r"^UID:(.+)$", out.replace("\r\n", "\n"), re.M)
    assert uids and re.findall(r"^UID:(.+)$", response.text.replace("\r\n", "\n"), re.M) == uids


# --- forms -----------------------------------------------------------------------------------
def contact_fields(**change: str) -> dict[str, str]:
    fields = {"date": "2026-11-25", "by": "T. Mensah", "role": "youth-worker",
              "method": "in-person", "purpose": "support", "outcome": "engaged",
              "notes": "Talked about college applications."}
    fields.update(change)
    return fields


def post(client: TestClient, secrets: Secrets, path: str, fields: dict[str, object]):
    return client.post(path, data={**fields, "csrf": secrets.csrf()})


def assert_valid(book: Path) -> None:
    code, out = cli("validate", "-C", str(book), "--as-of", AS_OF.isoformat())
    assert code == 0, out


def test_a_refused_contact_keeps_what_was_typed(client: TestClient, served, book: Path) -> None:
    _, secrets, _ = served
    before = sorted((book / "cases" / SUPPORT).rglob("*.yaml"))
    response = post(client, secrets, f"/cases/{SUPPORT}/record/contact",
                    contact_fields(by="", date="2026-13-40", notes="Kept words"))
    assert response.status_code == 400
    text = response.text
    assert "Nothing was written" in text
    assert 'id="error-by"' in text and 'aria-invalid="true"' in text
    assert "not a date like 2026-11-26" in text
    assert "Kept words</textarea>" in text and 'value="2026-13-40"' in text
    assert '<option value="in-person" selected>' in text
    assert sorted((book / "cases" / SUPPORT).rglob("*.yaml")) == before


def test_messages_with_no_contact_are_refused_by_the_field(client: TestClient, served) -> None:
    _, secrets, _ = served
    response = post(client, secrets, f"/cases/{SUPPORT}/record/contact",
                    {**contact_fields(outcome="no-contact"), "messages": ["concern", "offer"]})
    assert response.status_code == 400
    assert 'id="error-messages"' in response.text
    assert 'value="concern" checked' in response.text


def test_personal_data_is_refused_until_reviewed(client: TestClient, served, book: Path) -> None:
    _, secrets, _ = served
    fields = contact_fields(notes=f"Met {NAME} at the centre")
    response = post(client, secrets, f"/cases/{SUPPORT}/record/contact", fields)
    assert response.status_code == 400
    assert "may hold personal data" in response.text
    assert NAME not in response.text.replace(f"Met {NAME} at the centre</textarea>", "")
    assert 'name="reviewed"' in response.text


def test_an_accepted_contact_is_on_disk_and_valid(client: TestClient, served, book: Path) -> None:
    _, secrets, _ = served
    contacts = book / "cases" / SUPPORT / "contacts"
    before = set(contacts.iterdir())
    response = post(client, secrets, f"/cases/{SUPPORT}/record/contact", contact_fields())
    assert response.status_code == 200, response.text[:2000]
    (new,) = set(contacts.iterdir()) - before
    rel = new.relative_to(book).as_posix()
    text = new.read_text(encoding="utf-8")
    assert "by: T. Mensah" in text and "outcome: engaged" in text
    assert f"<code>{rel}</code>" in response.text
    assert "Not committed yet" in response.text and f"git add -- {rel}" in response.text
    assert_valid(book)
    # the case page shows it at once
    assert "Contact (support, in-person): engaged" in client.get(f"/cases/{SUPPORT}").text
    # sent twice, it is refused as a duplicate, with the way round offered
    again = post(client, secrets, f"/cases/{SUPPORT}/record/contact", contact_fields())
    assert again.status_code == 400 and 'name="allow_duplicate"' in again.text


def test_a_proportionality_review(client: TestClient, served, book: Path) -> None:
    _, secrets, _ = served
    path = f"/cases/{DISRUPTION}/record/proportionality-review"
    refused = post(client, secrets, path, {"reviewer": "Insp 602 Rowe", "decision": "maybe"})
    assert refused.status_code == 400 and 'id="error-decision"' in refused.text
    assert 'id="error-rationale"' in refused.text and 'value="Insp 602 Rowe"' in refused.text
    response = post(client, secrets, path, {"date": "2026-11-25", "reviewer": "Insp 602 Rowe",
                                            "decision": "continue",
                                            "rationale": "Still carrying; offer repeated."})
    assert response.status_code == 200, response.text[:2000]
    assert "rationale: Still carrying; offer repeated." in (
        book / "cases" / DISRUPTION / "disruption.yaml").read_text(encoding="utf-8")
    assert_valid(book)


def test_a_needs_assessment_with_part_two(client: TestClient, served, book: Path) -> None:
    _, secrets, _ = served
    path = f"/cases/{SUPPORT}/record/assessment"
    form = client.get(path).text
    assert form.count('type="number"') == 12 and "Part 2, in their words" in form
    refused = post(client, secrets, path, {"date": "2026-11-20", "assessor": "PC 3318 Bajwa",
                                           "score__finances": "11"})
    assert refused.status_code == 400 and 'id="error-score__finances"' in refused.text
    assert 'value="11"' in refused.text
    fields: dict[str, object] = {"date": "2026-11-20", "assessor": "PC 3318 Bajwa",
                                 "score__finances": "7", "facts__finances": "Has a bank account.",
                                 "views__finances": "Feels more in control.",
                                 "aspirations": "To become an electrician."}
    response = post(client, secrets, path, fields)
    assert response.status_code == 200, response.text[:3000]
    text = (book / "cases" / SUPPORT / "assessments" / "2026-11-20.yaml").read_text("utf-8")
    assert "score: 7" in text and "facts: Has a bank account." in text
    assert "aspirations: To become an electrician." in text
    assert_valid(book)


def test_a_milestone_status(client: TestClient, served, book: Path) -> None:
    _, secrets, _ = served
    path = f"/cases/{SUPPORT}/record/milestone"
    form = client.get(path).text
    milestone = re.search(r'<option value="(m-[a-z0-9]+)"', form).group(1)  # type: ignore[union-attr]
    response = post(client, secrets, path, {"milestone": milestone, "status": "met",
                                            "date": "2026-11-24"})
    assert response.status_code == 200, response.text[:2000]
    assert "status_date: '2026-11-24'" in (book / "cases" / SUPPORT / "plan.yaml").read_text(
        encoding="utf-8")
    assert_valid(book)


def test_a_programme_review(client: TestClient, served, book: Path) -> None:
    _, secrets, _ = served
    response = post(client, secrets, f"/cases/{SUPPORT}/record/programme-review",
                    {"date": "2026-11-25", "reviewer": "Insp 602 Rowe", "decision": "continue"})
    assert response.status_code == 200, response.text[:2000]
    assert "reviewer: Insp 602 Rowe" in (book / "cases" / SUPPORT / "plan.yaml").read_text(
        encoding="utf-8")
    assert_valid(book)


def test_a_file_changed_meanwhile_is_refused(client: TestClient, served, book: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The builder read the plan; an editor saves it before the write: nothing is lost."""
    _, secrets, _ = served
    from prelude_cli.records import commit

    plan = book / "cases" / SUPPORT / "plan.yaml"
    reviews_before = plan.read_text(encoding="utf-8").count("reviewer: Insp 602 Rowe")
    real = commit.write

    def edited_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        plan.write_text(plan.read_text(encoding="utf-8") + "# saved in an editor\n",
                        encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(commit, "write", edited_meanwhile)
    response = post(client, secrets, f"/cases/{SUPPORT}/record/programme-review",
                    {"date": "2026-11-25", "reviewer": "Insp 602 Rowe", "decision": "continue"})
    assert response.status_code == 409
    assert "Nothing was written" in response.text and "changed" in response.text
    after = plan.read_text(encoding="utf-8")
    assert after.endswith("# saved in an editor\n")  # the editor's save is kept
    assert after.count("reviewer: Insp 602 Rowe") == reviews_before  # nothing written over it


def test_due_filters_by_age_band_and_concern_as_the_cli(client: TestClient, book: Path) -> None:
    code, out = cli("due-reviews", "-C", str(book), "--as-of", AS_OF.isoformat(),
                    "--format", "json", "--age-band", "under-18", "--concern", "county-lines")
    assert code == 0
    wanted = [i["case"] for i in json.loads(out)["items"]]
    text = client.get("/due?age_band=under-18&concern=county-lines").text
    assert re.findall(r'<th scope="row"><a href="/cases/([^"]+)">', text) == wanted
    assert client.get("/due?age_band=ancient").status_code == 400
    assert client.get("/due?since=yesterday").status_code == 400


def test_the_programme_period_is_the_clis(client: TestClient, book: Path) -> None:
    code, out = cli("report", "programme", "-C", str(book), "--as-of", AS_OF.isoformat(),
                    "--from", "2026-06-01", "--to", "2026-09-30", "--format", "json")
    assert code == 0
    cases = json.loads(out)["cases"]
    text = client.get("/programme?from=2026-06-01&to=2026-09-30").text
    assert f"{cases} case{'' if cases == 1 else 's'} in the period" in text
    assert 'value="2026-06-01"' in text
    assert client.get("/programme?from=June").status_code == 400
