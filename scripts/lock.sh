#!/usr/bin/env bash
# Re-pin every dependency with hashes. requirements.lock: what `eventcoder` needs to run;
# requirements-dev.lock: that plus the test tools. Run after changing dependencies in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
common=(--generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 --no-header --quiet)
uv pip compile pyproject.toml "${common[@]}" -o requirements.lock
uv pip compile pyproject.toml --extra test --extra web --extra pg "${common[@]}" -o requirements-dev.lock
