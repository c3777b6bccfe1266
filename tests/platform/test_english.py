"""The English version of the platform: /en/ pages speak English, and each committed catalogue
(.po, every message translated) compiles to exactly the committed .mo.

The shared catalogue (`platform/locale`) holds the messages of the platform's sources, except
those of the apps that keep their own (`<app>/locale`, which holds the messages of that app)."""

from __future__ import annotations

import gettext
import io
import json
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.test import Client
from django.utils.translation.template import templatize

from observatoire import vocabularies
from observatoire.platform.results.publishing import publish
from observatoire.results_contract import SCHEMA

PLATFORM = Path(__file__).resolve().parents[2] / "src/observatoire/platform"
# The folder whose sources each catalogue holds: the platform, and each app with its own.
APPS_WITH_CATALOGUE = sorted(p.parent for p in PLATFORM.glob("*/locale") if p.is_dir())
CATALOGUES = [PLATFORM, *APPS_WITH_CATALOGUE]


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="en">' in html
    return html


def _speaks_english(html: str, english: list[str], french: list[str]) -> None:
    missing = [text for text in english if text not in html]
    left = [text for text in french if text in html]
    assert not missing, f"English text missing: {missing}"
    assert not left, f"French text left on an English page: {left}"


# Text of the page frame (header, footer) on every page.
FRAME_EN = ["Partnerships Observatory", "Skip to content", "free software under the MIT licence"]
FRAME_FR = [">Observatoire des partenariats</a>", "Aller au contenu", "logiciel libre"]


@pytest.mark.django_db
def test_home_in_english(client: Client, published: Path) -> None:
    """The home page with a published study: the cards, the region picker and the objectives."""
    html = _html(client, "/en/")
    objectives = [label for _, label in vocabularies.OBJECTIVES.choices("en")]
    _speaks_english(
        html,
        [*FRAME_EN, "Joining forces for the common good", "The alliance database",
         "There is no such thing as average", f'href="/en/resultats/{STUDY}/regions/52/"',
         *objectives],
        [*FRAME_FR, "Faire alliance pour le bien commun", "La base des alliances",
         "Les résultats des études", "La moyenne n'existe pas",
         *(label for _, label in vocabularies.OBJECTIVES.choices("fr"))],
    )  # fmt: skip


@pytest.fixture
def seed(db: None) -> int:
    from observatoire.platform.alliances.content import load_seed

    return load_seed()


def test_alliance_list_map_and_seed_fiche_in_english(client: Client, seed: int) -> None:
    from observatoire.platform.alliances.models import Alliance

    html = _html(client, "/en/alliances/")
    _speaks_english(
        html,
        [*FRAME_EN, "Alliance database", "Actor type", "Show on the map", "Open data:"],
        [*FRAME_FR, "Base des alliances", "Type d'acteur", "Voir sur la carte", "Données ouvertes"],
    )
    html = _html(client, "/en/alliances/carte/")
    _speaks_english(
        html,
        ["Map of alliances", "alliances match the search; count by", "Alliances by territory"],
        ["Carte des alliances", "correspondent à la recherche", "Alliances par territoire"],
    )
    # Each territory's tooltip: "Île-de-France: 4", not the French "Île-de-France : 4".
    assert re.search(r"<title>[^<]*\w: \d+</title>", html)
    assert not re.search(r"<title>[^<]* : \d+</title>", html)
    # A seed fiche with a partner whose actor type reads differently in English.
    fiche, actor_type = next(
        (fiche, term)
        for fiche in Alliance.objects.filter(source_name="seed").order_by("slug")
        for partner in fiche.partners.all()
        for term in [vocabularies.ACTOR_TYPES[partner.actor_type]]
        if term.label("en") != term.label("fr")
    )
    html = _html(client, f"/en/alliances/{fiche.slug}/")
    _speaks_english(
        html,
        [*FRAME_EN, "<dt>Territories</dt>", "<h2>Partners</h2>", f">{actor_type.label('en')}<"],
        [*FRAME_FR, "<dt>Territoires</dt>", "<h2>Partenaires</h2>", f">{actor_type.label()}<"],
    )


@pytest.mark.django_db
def test_contribution_in_english(client: Client) -> None:
    """Form labels and choices, the saved message, the state and the transitions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from observatoire.platform.alliances.roles import CONTRIBUTORS

    user = get_user_model().objects.create_user("camille", password="motdepasse-solide-1")
    user.groups.add(Group.objects.get(name=CONTRIBUTORS))
    client.force_login(user)
    html = _html(client, "/en/alliances/proposer/")
    stage = vocabularies.INNOVATION_STAGES.terms[0]
    _speaks_english(
        html,
        ["Propose an alliance", "Summary (one or two sentences)", "Save draft", stage.label("en")],
        ["Proposer une alliance", "Résumé", "Enregistrer le brouillon", stage.label("fr")],
    )
    response = client.post(
        "/en/alliances/proposer/",
        {"title": "Une alliance", "summary": "Pour tester.", "territories": "94018"},
        follow=True,
    )
    html = response.content.decode()
    _speaks_english(
        html,
        ["Draft saved.", "Status:", "Draft", "Submit for review", "Edit"],
        ["Brouillon enregistré", "État :", "Soumettre à la relecture"],
    )
    response = client.post(
        "/en/alliances/proposer/",
        {"title": "Une alliance", "summary": "La même.", "territories": "94018"},
    )
    _speaks_english(
        response.content.decode(),
        ["This alliance resembles existing fact sheets:", "similar title (100%)"],
        ["ressemble à des fiches existantes", "titre proche"],
    )


@pytest.mark.django_db
def test_login_in_english_leads_to_the_english_pages(client: Client) -> None:
    from django.contrib.auth import get_user_model

    html = _html(client, "/en/comptes/connexion/?next=/en/alliances/mes-fiches/")
    _speaks_english(
        html,
        ["Log in", "Username", "Password", 'value="/en/alliances/mes-fiches/"'],
        ["Connexion", "Nom d’utilisateur", "Mot de passe", "Se connecter"],
    )
    get_user_model().objects.create_user("camille", password="motdepasse-solide-1")
    response = client.post(
        "/en/comptes/connexion/",
        {"username": "camille", "password": "faux", "next": "/en/alliances/mes-fiches/"},
    )
    assert "Incorrect username or password." in response.content.decode()
    response = client.post(
        "/en/comptes/connexion/",
        {
            "username": "camille",
            "password": "motdepasse-solide-1",
            "next": "/en/alliances/mes-fiches/",
        },
    )
    assert response["Location"] == "/en/alliances/mes-fiches/"
    _speaks_english(
        _html(client, "/en/alliances/mes-fiches/"),
        ["My fact sheets", "No fact sheets yet.", "Log out"],
        ["Mes fiches", "Aucune fiche", "Se déconnecter"],
    )


STUDY = "etude-en"


@pytest.fixture
def published(tmp_path: Path, db: None) -> Path:
    """A published study with France and one region over two waves, and its summary."""
    folder = tmp_path / STUDY
    folder.mkdir()
    row: dict[str, Any] = {
        "study": STUDY, "question": "Q1", "indicator": "share", "category": "dynamique",
        "profile": None, "profile_level": None, "population": "citoyens", "versus": None,
        "position": 1, "se": 0.01, "n": 2400,
        "flag": None, "question_label": "Santé du territoire", "category_label": "Dynamique",
    }  # fmt: skip
    rows = [
        {**row, "wave": wave, "territory": territory, "estimate": share, "ci_low": share - 0.05,
         "ci_high": share + 0.05, "weighted_n": weighted_n}
        for wave in ("2019", "2022")
        for territory, weighted_n, share in (("FR", 51.9e6, 0.5), ("52", 3.1e6, 0.6))
    ]  # fmt: skip
    item = {**row, "wave": "2022", "territory": "FR", "question": "Q3.sante", "category": None,
            "position": 2, "weighted_n": 51.9e6, "category_label": None,
            "question_label": "Fragilités du territoire : Santé"}  # fmt: skip
    rows += [
        {**item, "indicator": "mean", "estimate": 5.75, "ci_low": 5.6, "ci_high": 5.9},
        {**item, "indicator": "rank", "estimate": 1.0, "se": None, "ci_low": None,
         "ci_high": None},
    ]  # fmt: skip
    pl.DataFrame(rows, schema=SCHEMA).write_parquet(folder / "results.parquet")
    meta = {
        "study": STUDY, "title": "Étude", "universe": "Adultes", "synthetic": True,
        "notice": "Répondants synthétiques.",
        "waves": [{"id": "2019", "year": 2019}, {"id": "2022", "year": 2022}],
    }  # fmt: skip
    (folder / "results.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "summary.pdf").write_bytes(b"%PDF-1.7 test")
    publish(folder)
    return folder


@pytest.mark.django_db
def test_results_in_english(client: Client, published: Path) -> None:
    html = _html(client, "/en/resultats/")
    _speaks_english(
        html,
        [*FRAME_EN, "Demonstration data.", "Documents and data", "Two-page summary (PDF)",
         "95% confidence interval", "All of France, wave 2022", "Change"],
        [*FRAME_FR, "Données de démonstration", "Documents et données", "Synthèse recto-verso",
         "Intervalle de confiance", "France entière", "Évolution"],
    )  # fmt: skip
    # Numbers the English way: "50%", "5.8", "2,400", "1st" (not "50 %", "5,8", "2 400", "1er").
    _speaks_english(
        html,
        [">50%<", "45% – 55%", ">5.8<", "5.6 – 5.9", ">2,400<", ">1st<"],
        ["50\u00a0%", "5,8", "5,6", "2\u202f400", "1er"],
    )
    html = _html(client, f"/en/resultats/{STUDY}/regions/52/")
    _speaks_english(
        html,
        ["The region accounts for 6% of", "Alliances in the region",
         "Difference from the rest of France", ">60%<"],
        ["La région représente", "Les alliances de la région", "Écart avec le reste", "\u00a0%"],
    )  # fmt: skip


def _catalog(root: Path) -> Any:
    with (root / "locale/en/LC_MESSAGES/django.po").open("rb") as handle:
        return read_po(handle, locale="en")


GETTEXT_KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def _source_messages(root: Path) -> set[str]:
    """The msgids of the Python code and templates under `root` (less the apps that keep their
    own catalogue), found as `makemessages` does (templates turned into gettext calls by Django's
    `templatize`), without GNU gettext."""
    found = set()
    others = [app for app in APPS_WITH_CATALOGUE if app != root]
    for path in sorted(root.rglob("*")):
        if any(path.is_relative_to(app) for app in others):
            continue
        if path.suffix == ".py":
            code = path.read_bytes()
        elif path.suffix == ".html":
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path)).encode()
        else:
            continue
        for _, message, _, _ in extract("python", io.BytesIO(code), keywords=GETTEXT_KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _name(root: Path) -> str:
    return root.name


@pytest.mark.parametrize("root", CATALOGUES, ids=_name)
def test_catalogue_holds_exactly_the_messages_of_the_sources(root: Path) -> None:
    """A new or reworded string needs `makemessages -l en`, a translation and `compilemessages`
    (see platform/locale/README.md)."""
    catalogued = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(root) if m.id}
    sources = _source_messages(root)
    assert sorted(sources - catalogued) == [], "not in the catalogue"
    assert sorted(catalogued - sources) == [], "in the catalogue but no longer in the sources"


@pytest.mark.parametrize("root", CATALOGUES, ids=_name)
def test_every_message_is_translated_with_its_placeholders(root: Path) -> None:
    catalog = _catalog(root)
    messages = [m for m in catalog if m.id]
    assert len(messages) > (100 if root == PLATFORM else 0)
    assert not catalog.fuzzy
    assert [m.id for m in messages if m.fuzzy or not m.string] == []
    # Babel's checkers: same python-format placeholders in msgid and msgstr.
    assert [(m.id, errors) for m, errors in catalog.check()] == []


@pytest.mark.parametrize("root", CATALOGUES, ids=_name)
def test_committed_mo_matches_the_po(root: Path) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(root))
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)
    with (root / "locale/en/LC_MESSAGES/django.mo").open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    # `_catalog` is the run-time view of a .mo; its header entry ("") is written differently by
    # msgfmt and Babel, so headers are compared by what gettext reads from them.
    assert committed.info()["plural-forms"] == expected.info()["plural-forms"]
    assert committed.charset() == expected.charset() == "utf-8"
    messages = {k: v for k, v in committed._catalog.items() if k != ""}  # type: ignore[attr-defined]
    assert messages == {k: v for k, v in expected._catalog.items() if k != ""}  # type: ignore[attr-defined]
