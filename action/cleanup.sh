#!/usr/bin/env bash
# The Action's cleanup step (action.yml), on a failed or cancelled job: delete what the run with id
# IMS_CLEANUP_RUN_ID created, from its ledger under reports/runs/ (the suite's own cleanup).
set -euo pipefail
for name in IMS_PROJECT_ID IMS_AUTH_TOKEN HUAWEICLOUD_SDK_AK HUAWEICLOUD_SDK_SK HUAWEICLOUD_SDK_SECURITY_TOKEN \
  HUAWEICLOUD_SDK_PROJECT_ID; do
  if [ -z "${!name:-}" ]; then unset "$name"; fi
done
if [ ! -x "$ACTION_PATH/.venv/bin/python" ]; then
  echo "::warning::The suite was never installed: there is nothing of this run to clean up"
  exit 0
fi
# The suite writes a create to its ledger before it sends it: no ledger, no create went out.
if [ ! -f "reports/runs/$IMS_CLEANUP_RUN_ID/ledger.jsonl" ]; then
  echo "No ledger for run $IMS_CLEANUP_RUN_ID: it sent no create, so there is nothing to clean up."
  exit 0
fi
"$ACTION_PATH/.venv/bin/python" -m contract_tests.cleanup --run-id "$IMS_CLEANUP_RUN_ID"
