"""Published study results as data of the platform: one publication per study, its result rows
(the results contract's columns, docs/results-contract.md) and its documents.

A study run is loaded by `publishing.publish` in one transaction: the new publication replaces
the previous one of the same study only once all its rows are in, so a reader sees either the
old results or the new ones, never a mix. Documents (PDF, Excel, HTML, charts) live in Django's
storage under a prefix of their publication (`results/<study>/<uid>/…`); web workers read both
from the database and the storage, and need no shared folder.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

CODE = 100  # study, question, category and profile codes
LABEL = 500  # question and category labels
PATH = 255  # a document's path in its run (e.g. "regions/52.pdf")


class Publication(models.Model):
    """The results of a study as they are published now (one per study)."""

    study = models.CharField(_("étude"), max_length=CODE, unique=True)
    # New whenever the publication changes (readers cache a publication by it); the documents
    # are stored under the uid they were published with.
    uid = models.CharField(max_length=32, unique=True)
    title = models.CharField(_("titre"), max_length=LABEL)
    # results.json without its rows: universe, synthetic, notice, waves (oldest first), columns,
    # and whatever a study of several populations adds (populations, reference, own_items…).
    meta = models.JSONField(default=dict)
    waves = models.JSONField(default=list)  # wave ids, oldest first
    synthetic = models.BooleanField(_("données synthétiques"), default=False)
    source = models.CharField(_("publié depuis"), max_length=1000, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)  # of the study's sources, if given
    documents_pending = models.BooleanField(default=False)  # rendered after the rows (demo)
    published_at = models.DateTimeField(_("publié le"), auto_now_add=True)
    rows_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("study",)
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.title} ({', '.join(self.waves)})"


class ResultRow(models.Model):
    """One published figure: the results contract's columns (its `study` is the publication's).

    A null stays null, as in the contract (no category, all respondents): not an empty string.
    """

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="rows")
    wave = models.CharField(max_length=CODE)
    population = models.CharField(max_length=CODE)
    question = models.CharField(max_length=CODE)
    indicator = models.CharField(max_length=CODE)
    category = models.CharField(max_length=CODE, null=True)  # noqa: DJ001
    territory = models.CharField(max_length=CODE)
    profile = models.CharField(max_length=CODE, null=True)  # noqa: DJ001
    profile_level = models.CharField(max_length=CODE, null=True)  # noqa: DJ001
    versus = models.CharField(max_length=CODE, null=True)  # noqa: DJ001
    position = models.BigIntegerField()
    estimate = models.FloatField(null=True)
    se = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    n = models.BigIntegerField(null=True)
    weighted_n = models.FloatField(null=True)
    flag = models.CharField(max_length=CODE, null=True)  # noqa: DJ001
    question_label = models.CharField(max_length=LABEL)
    category_label = models.CharField(max_length=LABEL, null=True)  # noqa: DJ001

    class Meta:
        indexes = (
            models.Index(fields=["publication", "question", "territory"]),
            models.Index(fields=["publication", "territory", "profile", "profile_level"]),
        )

    def __str__(self) -> str:
        return f"{self.question} {self.indicator} {self.category or ''} {self.territory}"


class Document(models.Model):
    """A file of a published run (PDF, Excel, HTML, chart), kept in Django's storage."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="documents")
    path = models.CharField(max_length=PATH)  # as in the run's folder: "regions/52.pdf"
    name = models.CharField(max_length=PATH + 200)  # in the storage
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=CODE)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["publication", "path"], name="one_document_per_path"),
        )
        ordering = ("path",)

    def __str__(self) -> str:
        return self.path
