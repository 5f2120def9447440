#!/bin/sh
# One-shot job (temporalio/admin-tools): the namespace OpenCCS runs in and the custom search
# attributes its workflows set (libs/contracts/src/temporal.ts, SEARCH_ATTRIBUTES; the worker also
# adds any that are missing at start). Runs again harmlessly: only what is missing is created.
set -eu
NS=${TEMPORAL_NAMESPACE:-default}
ADDR=${TEMPORAL_ADDRESS:-temporal:7233}
RETENTION=${TEMPORAL_RETENTION:-720h}

n=0
until temporal operator cluster health --address "$ADDR"; do
  n=$((n + 1))
  [ "$n" -lt 30 ] || { echo "Temporal at $ADDR is not healthy" >&2; exit 1; }
  sleep 2
done

temporal operator namespace describe --namespace "$NS" --address "$ADDR" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$NS" --retention "$RETENTION" --address "$ADDR"

# A namespace just registered takes a few seconds to reach every frontend's cache.
n=0
until existing=$(temporal operator search-attribute list --namespace "$NS" --address "$ADDR"); do
  n=$((n + 1))
  [ "$n" -lt 30 ] || { echo "namespace $NS did not become usable" >&2; exit 1; }
  sleep 2
done
for attr in OpenccsProjectId:Keyword OpenccsReportKind:Keyword OpenccsReportStatus:Keyword \
  OpenccsCurrentStep:Keyword OpenccsAssignees:KeywordList; do
  name=${attr%%:*}
  if echo "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$NS" --address "$ADDR" \
      --name "$name" --type "${attr##*:}"
  fi
done
echo "namespace $NS is ready"
