"""The admin for fund managers: narrowed to their funds, checked and logged like other writes."""

from __future__ import annotations

from typing import Any

from django.test import Client

from observatoire.platform.funds.models import Fund, Support

ADD = "/admin/funds/support/add/"


def _form(fund: Fund, **changes: Any) -> dict[str, Any]:
    return {
        "fund": fund.pk,
        "beneficiary": "Club ESS",
        "territory": "94018",
        "form": "valorisation",
        "description": "Un article sur l'opération.",
        "status": "granted",
        "start": "2023",
        **changes,
    }


def test_a_manager_adds_and_edits_a_support_in_the_admin(
    client: Client, content: Fund, manager: Any
) -> None:
    client.force_login(manager)
    assert client.get("/admin/funds/support/").status_code == 200
    refused = client.post(ADD, _form(content, amount_eur="100"))
    assert (
        refused.status_code == 200
        and "only direct funding has an amount" in refused.content.decode()
    )
    assert client.post(ADD, _form(content)).status_code == 302
    support = Support.objects.get(start="2023")
    assert support.key == "club-ess-valorisation" and support.history.get().history_user == manager
    changed = {**_form(content), "description": "Deux articles.", "status": "closed"}
    assert client.post(f"/admin/funds/support/{support.pk}/change/", changed).status_code == 302
    support.refresh_from_db()
    assert (support.description, support.status, support.history.count()) == (
        "Deux articles.",
        "closed",
        2,
    )
    back = {**changed, "status": "granted"}
    answer = client.post(f"/admin/funds/support/{support.pk}/change/", back)
    assert "cannot become granted" in answer.content.decode()
    assert client.get(f"/admin/funds/support/{support.pk}/history/").status_code == 200


def test_another_funds_manager_sees_none_of_it(
    client: Client, content: Fund, other_manager: Any
) -> None:
    client.force_login(other_manager)
    listing = client.get("/admin/funds/support/").content.decode()
    assert "pemb-" not in listing and "Club ESS" not in listing
    support = Support.objects.get(key="pemb-reseaux")
    assert client.get(f"/admin/funds/support/{support.pk}/change/").status_code in (302, 404)
    assert client.post(ADD, _form(content)).status_code == 200  # the fund is not a choice
    assert not Support.objects.filter(start="2023").exists()
    fund_page = client.get(f"/admin/funds/fund/{content.pk}/change/")
    assert fund_page.status_code in (302, 404)
