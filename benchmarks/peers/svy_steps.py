"""The benchmark's steps with `svy` (run in the peers' venv: see benchmarks/setup_peers.sh).

python benchmarks/peers/svy_steps.py DATA_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import svy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from steps import QUESTIONS, Steps


def main(folder: Path) -> None:
    steps = Steps(f"svy {svy.__version__}", folder)
    controls = {m: {int(k): v for k, v in lv.items()} for m, lv in steps.targets.items()}
    sample = steps.run(
        "design", lambda: svy.Sample(steps.frame, svy.Design(stratum="region", wgt="w0"))
    )
    raked = steps.run(
        "rake", lambda: sample.weighting.rake(controls=controls, tol=1e-10, max_iter=100)
    )
    weights = raked.data.get_column(raked.design.wgt).to_numpy()
    means = steps.run("means", lambda: raked.estimation.mean(QUESTIONS))
    by = steps.run("by", lambda: raked.estimation.mean(QUESTIONS, by="group6"))
    means_table = [m.to_polars() for m in means]
    by_tables = [b.to_polars().sort("group6") for b in by]
    steps.emit(
        max_gap=steps.max_gap(weights),
        means=[float(t.item(0, "est")) for t in means_table],
        means_se=[float(t.item(0, "se")) for t in means_table],
        by_levels=[str(v) for v in by_tables[0].get_column("group6").to_list()],
        by_est=np.column_stack([t.get_column("est").to_numpy() for t in by_tables])
        .ravel()
        .tolist(),
        by_se=np.column_stack([t.get_column("se").to_numpy() for t in by_tables]).ravel().tolist(),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
