#!/bin/sh
# Run by the Dockerfile in a part's production node_modules: removes what Node never runs there.
# TypeScript sources and declarations (Node strips no types under node_modules) and source maps,
# which point at those sources. Everything that runs, and every licence, stays.
set -eu
find node_modules -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' \
  -o -name '*.map' -o -name '*.tsbuildinfo' \) -delete
