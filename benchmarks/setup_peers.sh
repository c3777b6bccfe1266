#!/usr/bin/env bash
# Install the Python peers of the survey-engine benchmark (svy, samplics, weightipy) in a venv of
# their own, so that the project's lock stays clean. Each peer is installed separately: one that
# fails to install is reported and skipped, the others still run. balance 0.23.0 is left out: it
# pins numpy < 2, which breaks svy and samplics (both need numpy >= 2) in the same venv.
#
#   benchmarks/setup_peers.sh            # venv at $OBSERVATOIRE_PEERS_VENV or ~/.cache/observatoire/peers-venv
#
# R's survey package is not installed here: on Debian, `apt-get install r-cran-survey r-cran-jsonlite`.
set -euo pipefail
VENV="${OBSERVATOIRE_PEERS_VENV:-$HOME/.cache/observatoire/peers-venv}"
PYTHON="${PYTHON:-python3}"
PEERS=("svy==0.35.0" "samplics==0.6.1" "weightipy==0.4.2")

"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check polars pyarrow numpy pandas
for peer in "${PEERS[@]}"; do
    if "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$peer"; then
        echo "installed $peer"
    else
        echo "could not install $peer (skipped)" >&2
    fi
done
echo "peers venv: $VENV"
