#!/usr/bin/env bash
# make demo: build the sample district into the store and serve the explorer on 127.0.0.1:8050.
set -euo pipefail
store=${1:-genera.sqlite}
genera=.venv/bin/genera
commands=$($genera --help)
if grep -q " import " <<<"$commands"; then
  $genera --store "$store" import sample_data
  source_args=()
else
  echo "demo: the store is not there yet; reading the register files in sample_data/"
  source_args=(--registers sample_data)
fi
$genera --store "$store" report "${source_args[@]}"
if grep -q " serve " <<<"$commands"; then
  exec $genera --store "$store" serve --host 127.0.0.1 --port 8050
else
  echo "demo: the explorer is not there yet (issue 6); the report above is what the tool shows today"
fi
