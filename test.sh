#!/usr/bin/env bash
# The test command: every test of every module, with every server they need.
#
#   ./test.sh                  provides the servers, runs ./mvnw verify, stops what it started
#   ./test.sh -pl fastsession-core -am    (arguments go to Maven)
#   FASTSESSION_TEST_PRIVATE=1 ./test.sh  private servers even where the machine has its own
#
# Servers already reachable are used; what is missing is started as a private instance on a
# free loopback port (installed from Debian's packages first, as root), or taken from
# Testcontainers where Docker runs. .ci/services says how, docs/testing.md what each test
# needs. With only a JDK, `./mvnw -Dquick verify` runs the tests that need no server.
set -euo pipefail
cd "$(dirname "$0")"

private=()
[[ ${FASTSESSION_TEST_PRIVATE:-} == 1 ]] && private=(--private)
.ci/services start "${private[@]}"
trap '.ci/services stop' EXIT
set -a
# shellcheck disable=SC1091
. .ci/services.env
set +a

./mvnw -B -ntp verify "$@"
