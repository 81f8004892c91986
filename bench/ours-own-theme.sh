#!/usr/bin/env bash
# An `OURS` command for ../shared/bench-peers/run-peers.sh that builds the peers' Jekyll site as a
# Quire site, with Quire's own theme: the same posts at the same URLs (see README, Performance).
#   OURS='/path/to/quire/bench/ours-own-theme.sh "$1" "$2"' PEERS=hugo ./run-peers.sh 10000
# $1: the peer's site folder (a fresh copy for each build), $2: the output folder.
set -euo pipefail
quire="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/dist/cli/quire.js"
{ cat "$1/_config.yml"; echo "jekyll_site: false"; } > "$1/quire-theme.yml"
exec node "$quire" build --fresh --source "$1" --destination "$2" --config "$1/quire-theme.yml"
