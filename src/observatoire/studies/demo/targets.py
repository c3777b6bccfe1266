"""What the synthetic IMPACT-Citoyens respondents are tuned to reproduce.

National figures are the published ones of ../shared/DOMAIN.md (IMPACT-Citoyens 2022, and the
2019 means); where the seed gives no figure, the value is a plausible one chosen so that the
published totals, ranks and regional contrasts hold, and is marked `# unpublished`. Effects are
added on the latent scale (marks for 1–10 questions, log-odds for choices) and the national
intercepts are then solved so that the weighted national result equals the target.
"""

from __future__ import annotations

# Study regions (INSEE codes), grouped by the contrasts the seed describes.
IDF, CVL, BFC, NOR, HDF, GES, PDL, BRE, NAQ, OCC, ARA, PAC = (
    "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93",
)  # fmt: skip
RURAL = (CVL, BFC, NOR, BRE, NAQ, OCC)

# Profiles drawn per region: national shares tilted by region (multipliers, renormalised).
PROFILE_TILTS: dict[str, dict[str, dict[str, float]]] = {
    IDF: {"commune_size": {"plus-50000": 2.0, "moins-2000": 0.2}, "csp": {"csp-plus": 1.5},
          "age": {"65+": 0.8}},
    **{r: {"commune_size": {"moins-2000": 1.4, "plus-50000": 0.7}, "age": {"65+": 1.1}}
       for r in RURAL},
}  # fmt: skip
HOUSEHOLD_BY_AGE = {  # couple with children, single parent, no child at home
    "18-24": (0.05, 0.05, 0.90),
    "25-34": (0.35, 0.10, 0.55),
    "35-49": (0.55, 0.12, 0.33),
    "50-64": (0.25, 0.06, 0.69),
    "65+": (0.02, 0.01, 0.97),
}

# Q3, 16 fragilities: national mean /10 by wave (published: 2022 to ±0.05 of the rounded value,
# ordered to give the published 2022 and 2019 ranks).
FRAGILITY_MEANS = {
    "2022": {
        "sante": 5.73, "pouvoir-achat": 5.67, "securite": 5.60, "vieillissement": 5.53,
        "emploi": 5.47, "education": 5.34, "mobilite": 5.32, "developpement-economique": 5.27,
        "environnement": 5.23, "pauvrete": 5.18,  # unpublished (rank 10)
        "transition-energetique": 5.13,  # unpublished
        "transition-numerique": 5.03, "mal-logement": 4.99,  # unpublished
        "diversite-handicap": 4.95, "isolement": 4.92,  # unpublished
        "culture-loisirs": 4.88,
    },
    "2019": {
        "emploi": 6.40, "pouvoir-achat": 6.30, "securite": 6.02, "mobilite": 5.94,
        "environnement": 5.92, "transition-energetique": 5.90, "developpement-economique": 5.87,
        "sante": 5.80, "vieillissement": 5.70,  # unpublished value, published rank 9
        "education": 5.60, "pauvrete": 5.50,  # unpublished value, published rank 11
        "mal-logement": 5.35, "diversite-handicap": 5.22,  # unpublished
        "transition-numerique": 5.10, "isolement": 5.05,  # unpublished
        "culture-loisirs": 5.00,
    },
}  # fmt: skip
MARK_PERSON_SD = 1.2  # a respondent's general severity, shared by the 16 marks
MARK_ITEM_SD = 2.0  # the rest of the spread of one mark
DONT_KNOW_RATE = 0.01  # "quelque 1 % de temps en temps dans les fragilités"
ALL_ITEMS = "*"
# Effects on marks: (profile variable, code) -> {item or "*": shift}.
FRAGILITY_EFFECTS: dict[tuple[str, str], dict[str, float]] = {
    ("age", "35-49"): {ALL_ITEMS: 0.3, "pouvoir-achat": 0.2},
    ("age", "65+"): {ALL_ITEMS: -0.4},
    ("csp", "csp-moins"): {ALL_ITEMS: 0.25, "pouvoir-achat": 0.3},
    ("household", "parent-seul"): {ALL_ITEMS: 0.4},
    ("commune_size", "moins-2000"): {
        "mobilite": 0.8, "developpement-economique": 0.5, "transition-numerique": 0.5,
    },
    ("region", IDF): {"environnement": 1.1, "securite": 0.3, "vieillissement": -0.6},
    ("region", PAC): {"securite": 0.6},
    ("region", HDF): {"emploi": 0.6, "pauvrete": 0.5, "pouvoir-achat": 0.3, "vieillissement": -0.3},
    ("region", ARA): {"vieillissement": -0.2},
    ("region", PDL): {ALL_ITEMS: -0.3, "vieillissement": -0.5},
    **{("region", r): {"vieillissement": 0.6} for r in (*RURAL, GES, PAC)},
    **{("region", r): {"mobilite": 0.8, "vieillissement": 0.6} for r in (CVL, BFC)},
}  # fmt: skip

# Single-choice questions: national shares by wave, and effects in log-odds per answer code.
CHOICE_SHARES: dict[str, dict[str, dict[str, float]]] = {
    "Q1": {w: {"dynamique": 0.50, "en-difficulte": 0.44, "sinistre": 0.06}
           for w in ("2019", "2022")},
    "Q2": {w: {"indispensable": 0.25, "utile": 0.49, "peu-utile": 0.20, "inutile": 0.06}
           for w in ("2019", "2022")},
    "Q4A": {"2022": {"indispensable": 0.24, "utile": 0.55, "peu-utile": 0.16, "inutile": 0.05}},
    "Q4B": {"2022": {"indispensable": 0.20, "utile": 0.55, "peu-utile": 0.19, "inutile": 0.06}},
    "Q5": {"2022": {"tout-a-fait": 0.17, "plutot-oui": 0.52, "plutot-non": 0.23,
                    "pas-du-tout": 0.08}},
    "Q6": {"2022": {"ancrees": 0.13, "emergence": 0.69, "absentes": 0.07, "nsp": 0.11}},
    "Q8": {"2022": {"vision-partagee": 0.38, "action-collective": 0.37,
                    "gestion-regulatrice": 0.25}},
}  # fmt: skip
_POSITIVE = ("indispensable", "utile")
CHOICE_EFFECTS: dict[str, dict[tuple[str, str], dict[str, float]]] = {
    "Q1": {
        ("region", PDL): {"dynamique": 0.9},
        ("region", IDF): {"dynamique": 0.45},
        ("region", PAC): {"dynamique": 0.4, "sinistre": 0.5},
        ("region", ARA): {"sinistre": 0.3},
        **{("region", r): {"dynamique": -0.5} for r in (HDF, BFC, CVL)},
        ("commune_size", "moins-2000"): {"sinistre": 0.6, "dynamique": -0.2},
        ("age", "18-24"): {"dynamique": 0.2},
        ("age", "25-34"): {"dynamique": 0.2},
        ("csp", "csp-plus"): {"dynamique": 0.25},
    },
    "Q2": {
        ("region", PDL): dict.fromkeys(_POSITIVE, 0.65),
        ("region", NAQ): dict.fromkeys(_POSITIVE, -0.3),
        ("age", "65+"): {"indispensable": 0.5},
        ("csp", "csp-moins"): {"indispensable": -0.3},
        ("commune_size", "2000-20000"): dict.fromkeys(_POSITIVE, 0.2),
    },
    "Q4A": {
        ("region", PDL): dict.fromkeys(_POSITIVE, 0.45),
        ("region", BRE): dict.fromkeys(_POSITIVE, 0.55),
        ("commune_size", "2000-20000"): dict.fromkeys(_POSITIVE, 0.2),
    },
    "Q4B": {
        ("region", PDL): dict.fromkeys(_POSITIVE, 0.45),
        ("region", BRE): dict.fromkeys(_POSITIVE, 0.25),
        ("age", "18-24"): dict.fromkeys(_POSITIVE, -0.6),
    },
    "Q6": {
        ("age", "18-24"): {"ancrees": 0.6},
        ("age", "25-34"): {"ancrees": 0.4},
        ("csp", "csp-plus"): {"ancrees": 0.3},
        ("age", "50-64"): {"nsp": 0.4},
        ("age", "65+"): {"nsp": 0.4},
    },
    "Q8": {
        **{("region", r): {"vision-partagee": 0.35} for r in (PDL, BRE, CVL, NAQ)},
        **{("region", r): {"action-collective": 0.35} for r in (OCC, HDF, NOR, ARA, PAC)},
        ("region", IDF): {"vision-partagee": 0.25, "gestion-regulatrice": 0.3},
        ("age", "18-24"): {"gestion-regulatrice": 0.3},
    },
}

# Q7, impacts of working together: published % strong or very strong, and % at least moderate.
IMPACTS = {
    "mobilisation": (0.61, 0.90),
    "engagement": (0.58, 0.89),
    "innovation-territoriale": (0.58, 0.89),
    "performance-entreprises": (0.57, 0.89),
    "performance-collectivites": (0.57, 0.88),
    "innovation-grande-echelle": (0.53, 0.84),
    "performance-associations": (0.51, 0.86),
}
VERY_STRONG_SHARE = 0.35  # of the strong-or-very-strong answers; unpublished
NONE_SHARE = 0.3  # of the weak-or-none answers; unpublished

# Multiple choice (each option yes/no): national shares by wave, effects in log-odds.
OPTION_SHARES: dict[str, dict[str, dict[str, float]]] = {
    "Q9": {
        "2022": {"citoyen": 0.32, "salarie": 0.22, "gouvernance": 0.09, "syndicaliste": 0.13,
                 "elu": 0.04},
        "2019": {"citoyen": 0.32, "salarie": 0.18, "gouvernance": 0.09, "syndicaliste": 0.10,
                 "elu": 0.04},
    },
    "Q10": {"2022": {"energie": 0.84, "eau": 0.82, "achats-responsables": 0.59}},
    "Q11": {"2022": {"culture-commune": 0.68, "cadre-administratif": 0.64, "espace-naturel": 0.52,
                     "lieu-action": 0.48}},
}  # fmt: skip
OPTION_EFFECTS: dict[str, dict[tuple[str, str], dict[str, float]]] = {
    "Q9": {
        ("age", "18-24"): {"syndicaliste": 0.5, "citoyen": 0.2},
        ("age", "25-34"): {"syndicaliste": 0.4},
        ("age", "65+"): {"salarie": -2.5, "syndicaliste": -0.8},
        ("csp", "inactif"): {"salarie": -1.5},
    },
    "Q10": {("age", "65+"): {"energie": 0.4, "eau": 0.4, "achats-responsables": 0.3}},
}
