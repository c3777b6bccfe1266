"""The demo studies as `observatoire demo` (make run) publishes them, in two steps.

1. Before serving, `publish_figures` computes each demo study and publishes its figures (the
   tidy results), marked `documents_pending`: every results page, portrait and API answer works
   from then on, and the pages say that the documents are being prepared.
2. `publish_documents` then runs the whole pipeline (PDF summary and report, Excel tables,
   charts, regional fact sheets) and publishes the study again, documents included, in one
   transaction. `observatoire demo` runs it in a process of its own while the platform serves
   (`observatoire results demo-documents`), `demo --no-serve` before it returns.

A study whose current publication was made from the same sources (`studies.demo.fingerprint`)
is left alone. Nothing is shown as published before it is: the documents appear when their
publication commits.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable

from observatoire.paths import data_dir
from observatoire.platform.results.models import Publication
from observatoire.platform.results.publishing import publish
from observatoire.studies import demo
from observatoire.studies.run import run_study

Say = Callable[[str], None]
LOCK = "demo-documents.lock"


def publish_figures(say: Say = print) -> list[str]:
    """Publish the figures of every demo study not yet published from its current sources;
    the codes of the studies whose documents are still to render."""
    pending = []
    for code in demo.DEMO_STUDIES:
        demo.ensure_data(code, say)
        source = demo.fingerprint(code)
        current = Publication.objects.filter(study=code, fingerprint=source).first()
        if current is not None and not current.documents_pending:
            say(f"  already published: {code}")
            continue
        if current is None:
            out = demo.published_folder(code)
            run_study(demo.demo_folder(code), out, _indent(say), documents=False)
            done = publish(out, documents_pending=True, fingerprint=source)
            say(f"  published the figures of {done.study}: {done.rows} rows")
        pending.append(code)
    return pending


def publish_documents(say: Say = print) -> None:
    """Render and publish the documents of the demo studies that wait for them (one process at
    a time: a second one leaves it to the first)."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK).open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("  another process is rendering the demo documents")
            return
        for code in demo.DEMO_STUDIES:
            source = demo.fingerprint(code)
            if not Publication.objects.filter(
                study=code, fingerprint=source, documents_pending=True
            ).exists():
                continue
            out = demo.published_folder(code)
            run_study(demo.demo_folder(code), out, _indent(say))
            done = publish(out, fingerprint=source)
            say(f"  published {done.study} with its {done.documents} documents")


def _indent(say: Say) -> Callable[[str], None]:
    return lambda label: say(f"  {label}")
