#!/usr/bin/env bash
# The Action's run step (action.yml): the suite, its exit code turned into the job's outcome, and
# the JUnit counts on the job's summary page beside the report card the suite writes there.
# Reads the inputs as IMS_* / HUAWEICLOUD_* variables; ACTION_PATH is where the Action lives.
set -euo pipefail

# An input left empty is a setting not given: unset it, so the suite applies its default.
for name in IMS_BASE_URL IMS_PROJECT_ID IMS_AUTH_TOKEN HUAWEICLOUD_SDK_AK HUAWEICLOUD_SDK_SK \
  HUAWEICLOUD_SDK_SECURITY_TOKEN HUAWEICLOUD_SDK_PROJECT_ID IMS_MAX_CREATES IMS_PROFILE IMS_TEST_IMAGE_FILE; do
  if [ -z "${!name:-}" ]; then unset "$name"; fi
done

set +e
"$ACTION_PATH/.venv/bin/ims-contract" "$@"  # the Action passes none; a local rehearsal may pass pytest options
code=$?
set -e
echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"
echo "run-id=${IMS_RUN_ID:-}" >> "${GITHUB_OUTPUT:-/dev/null}"
"$ACTION_PATH/.venv/bin/python" -m contract_tests.junit_summary reports/junit.xml >> "${GITHUB_STEP_SUMMARY:-/dev/null}" || true

case "$code" in
  0) echo "The target conforms." ;;
  1) echo "::error::Contract violations: see the report card"; exit 1 ;;
  4) echo "::error::The suite's settings are missing or wrong (exit 4): set base-url and a token or an AK/SK"; exit 1 ;;
  2|69) echo "::warning::The contract run gave no verdict (exit $code): see its output" ;;
  *) echo "::error::The contract suite failed (exit $code): see its output"; exit 1 ;;
esac
