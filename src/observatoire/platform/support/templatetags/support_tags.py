"""`{{ code|label:"support_forms" }}`: the label of a vocabulary code in the page's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from observatoire import vocabularies
from observatoire.platform.support import inclusion

register = template.Library()
_VOCABULARIES = {
    **vocabularies.BY_NAME,
    **{
        v.name: v
        for v in (
            inclusion.SERVICE_TYPES,
            inclusion.THEMATIQUES,
            inclusion.PUBLICS,
            inclusion.RECEPTION_MODES,
            inclusion.MOBILISATION_MODES,
            inclusion.FEES,
            inclusion.NETWORKS,
        )
    },
}


@register.filter
def label(code: str, vocabulary: str) -> str:
    """The label of `code`, or the code itself when it is not (or no longer) in the list."""
    vocab = _VOCABULARIES[vocabulary]
    return vocab[code].label(get_language() or "fr") if code in vocab else code
