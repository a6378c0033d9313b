#!/usr/bin/env bash
# make demo: build the sample district into the store and serve the explorer on 127.0.0.1:8050.
set -euo pipefail
store=${1:-genera.sqlite}
genera=.venv/bin/genera
$genera --store "$store" import sample_data
$genera --store "$store" report
# demo accounts on the sample store only (a real store starts with none, and no password):
# one per role, each with a password generated now and printed once
points=$(awk -F';' 'NR > 1 && $2 == "community_point" {print $1; exit}' sample_data/actors.csv)
echo
echo "demo accounts (sample data only; passwords shown once):"
for spec in "demo-coordinatore coordinator" "demo-facilitatore facilitator $points" \
            "demo-ricerca researcher" "demo-admin admin"; do
  read -r name role point <<<"$spec"
  if $genera --store "$store" users list 2>/dev/null | grep -q "^ *$name "; then
    password=$($genera --store "$store" users reset-password "$name" --generate | tail -1)
  else
    password=$($genera --store "$store" users add "$name" --role "$role" \
               ${point:+--community-point "$point"} --generate | tail -1)
  fi
  echo "  $name ($role${point:+, $point}): ${password##*: }"
done
echo "sign in at http://127.0.0.1:8050/login with one of them (the password must be changed"
echo "at the first sign-in)"
echo
exec $genera --store "$store" serve --host 127.0.0.1 --port 8050
