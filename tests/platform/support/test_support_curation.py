"""Curation with the same roles as the fiches: drafts private to their owner and the curators,
publication by curators on the structure page and in the admin, every path validated."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from support_samples import DLA_94

from observatoire.platform.support.models import State, Structure

pytestmark = pytest.mark.django_db


def test_the_roles_carry_the_directory_permissions() -> None:
    curators = set(
        Group.objects.get(name="Curateurs").permissions.values_list("codename", flat=True)
    )
    assert {"publish_structure", "change_service", "publish_alliance"} <= curators
    contributors = set(
        Group.objects.get(name="Contributeurs").permissions.values_list("codename", flat=True)
    )
    assert "add_structure" in contributors and "publish_structure" not in contributors


def test_a_draft_is_seen_by_its_owner_and_published_by_a_curator(
    client: Client, make_structure: Any, contributor: Any, curator: Any
) -> None:
    draft = make_structure(DLA_94, state="draft")
    draft.owner = contributor
    draft.save()
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404

    client.force_login(contributor)
    html = client.get(url).content.decode()
    assert (
        'data-state="draft"' in html and 'value="submit"' in html and 'value="publish"' not in html
    )
    response = client.post(f"{url}curation/", {"action": "publish"})
    assert response.status_code == 302 and Structure.objects.get(pk=draft.pk).state == State.DRAFT
    client.post(f"{url}curation/", {"action": "submit"})
    assert Structure.objects.get(pk=draft.pk).state == State.REVIEW

    client.force_login(curator)
    html = client.get(url).content.decode()
    assert 'value="publish"' in html and "Historique" in html
    client.post(f"{url}curation/", {"action": "publish"})
    assert Structure.objects.get(pk=draft.pk).state == State.PUBLISHED
    client.logout()
    assert client.get(url).status_code == 200
    assert client.get(f"{url}curation/").status_code in (302, 405)  # POST only, login first


def test_admin_lists_validates_and_publishes(
    client: Client, make_structure: Any, curator: Any
) -> None:
    structure = make_structure(DLA_94, state="review")
    client.force_login(curator)
    assert client.get("/admin/support/structure/").status_code == 200
    change = f"/admin/support/structure/{structure.pk}/change/"
    assert client.get(change).status_code == 200
    service = structure.services.get()
    form = {
        "slug": structure.slug,
        "name": structure.name,
        "description": structure.description,
        "structure_type": "dla",
        "networks": "[]",
        "commune": "94028",
        "sources": "[]",
        "licence": structure.licence,
        "update_frequency_months": "12",
        "services-TOTAL_FORMS": "1",
        "services-INITIAL_FORMS": "1",
        "services-MIN_NUM_FORMS": "0",
        "services-MAX_NUM_FORMS": "1000",
        "services-0-id": str(service.pk),
        "services-0-structure": str(structure.pk),
        "services-0-position": "0",
        "services-0-import_id": service.import_id,
        "services-0-name": service.name,
        "services-0-description": service.description,
        "services-0-zones": '["00000"]',
        **{
            f"services-0-{name}": "[]"
            for name in (
                "thematiques", "publics", "reception_modes", "mobilisation_modes",
                "support_forms", "innovation_stages", "objectives", "actor_types",
                "association_employment", "sizes",
            )
        },
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
        "history-MIN_NUM_FORMS": "0",
        "history-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = client.post(change, form)
    assert response.status_code == 200 and "unknown territory code" in response.content.decode()
    form["services-0-zones"] = '["94"]'
    assert client.post(change, form).status_code == 200  # "94": department or region?
    form["services-0-zones"] = '["DEP-92"]'
    assert client.post(change, form).status_code == 302
    keys = structure.services.get().coverage.values_list("key", flat=True).order_by("key")
    assert list(keys) == ["DEP-92", "FR", "REG-11"]
    response = client.post(
        "/admin/support/structure/",
        {"action": "action_publish", "_selected_action": [structure.pk]},
    )
    assert response.status_code == 302
    assert Structure.objects.get(pk=structure.pk).state == State.PUBLISHED
