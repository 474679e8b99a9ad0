#!/usr/bin/env bash
# Copies the conformance table of the last suite run into docs/CONFORMANCE.md (between its markers).
# Usage: interop/update-conformance-table.sh [path/to/conformance.md]
#   default: the newest examples/target*/conformance/conformance.md
set -euo pipefail
cd "$(dirname "$0")/.."
report="${1:-$(ls -t examples/target*/conformance/conformance.md 2>/dev/null | head -1)}"
if [ -z "$report" ] || [ ! -f "$report" ]; then
    echo "no conformance report found; run: mvn -pl examples -am test -Dtest='AutobahnCatalogueTest,HandshakeConformanceTest' -Dsurefire.failIfNoSpecifiedTests=false" >&2
    exit 1
fi
readme=docs/CONFORMANCE.md
begin='<!-- conformance-table:begin -->'
end='<!-- conformance-table:end -->'
grep -qF "$begin" "$readme" && grep -qF "$end" "$readme" || { echo "$readme lacks the table markers" >&2; exit 1; }
{
    sed -n "1,/^${begin}\$/p" "$readme"
    cat "$report"
    sed -n "/^${end}\$/,\$p" "$readme"
} > "$readme.tmp"
mv "$readme.tmp" "$readme"
echo "copied $report into $readme"
