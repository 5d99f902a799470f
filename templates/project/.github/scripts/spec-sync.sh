#!/usr/bin/env bash
# Run `sdkgen sync API` for the spec-sync workflow and turn its exit code into step outputs.
#
# Usage: spec-sync.sh API
#
# Environment:
#   SDKGEN              the sdkgen command to run (default: sdkgen on PATH)
#   RUNNER_TEMP         where the changelog is written (default: a new temporary file)
#   GITHUB_OUTPUT       the step's output file; when unset the outputs are printed on stdout
#   GITHUB_STEP_SUMMARY when set, the changelog is appended to the run's summary too
#   GITHUB_WORKSPACE    the checkout (default: the current folder); absolute paths under it
#                       are made relative in the changelog
#
# Outputs (key=value lines):
#   sync exited 0   changed=false
#   sync exited 10  changed=true, breaking=false, body-path=FILE (additions or docs-only)
#   sync exited 20  changed=true, breaking=true,  body-path=FILE (breaking changes)
#
# Exit status: 0 for any of the three above; 2 for a usage error; otherwise the exit status
# of `sdkgen sync` itself (2 bad input, anything else a crash), so that the job fails.
#
# Nothing but sdkgen's own stdout goes into the changelog: this script adds no environment
# values and no absolute paths to it, and never traces its commands (no `set -x`).
set -euo pipefail

me=spec-sync

if [[ $# -ne 1 ]]; then
  echo "usage: $me.sh API" >&2
  exit 2
fi
api=$1
# The names `sdkgen init` accepts; anything else could escape the temporary folder.
if [[ ! $api =~ ^[a-z0-9][a-z0-9_-]*$ ]]; then
  echo "$me: not an API name: '$api' (lowercase letters, digits, '-' and '_')" >&2
  exit 2
fi
sdkgen=${SDKGEN:-sdkgen}

if [[ -n ${RUNNER_TEMP:-} ]]; then
  body=$RUNNER_TEMP/spec-sync-$api.md
  own_body=false
else
  body=$(mktemp "${TMPDIR:-/tmp}/spec-sync-$api.XXXXXX")
  own_body=true
fi

status=0
"$sdkgen" sync "$api" --format markdown >"$body" || status=$?

# On failure: whatever sync printed on stdout goes to the log, and the job fails.
fail() {
  if [[ -s $body ]]; then
    echo "$me: its stdout was:" >&2
    cat "$body" >&2
  fi
  if [[ $own_body == true ]]; then
    rm -f "$body"
  fi
  echo "$me: $1" >&2
  exit "$status"
}

case $status in
  0)
    outputs=("changed=false")
    if [[ $own_body == true ]]; then
      rm -f "$body"
    fi
    echo "$me: $api: no change upstream" >&2
    ;;
  10 | 20)
    # Paths inside the checkout become relative (a literal match, not a pattern).
    root=${GITHUB_WORKSPACE:-$PWD}
    root=${root%/}/
    if [[ $root == / ]]; then
      root=// # a checkout at / : strip nothing rather than every slash
    fi
    stripped=$(mktemp "${TMPDIR:-/tmp}/spec-sync-$api.XXXXXX")
    SPEC_SYNC_ROOT=$root awk '{
      line = $0; out = ""; root = ENVIRON["SPEC_SYNC_ROOT"]
      while ((i = index(line, root)) > 0) {
        out = out substr(line, 1, i - 1)
        line = substr(line, i + length(root))
      }
      print out line
    }' "$body" >"$stripped"
    cat "$stripped" >"$body"
    rm -f "$stripped"
    if [[ ! -s $body ]]; then
      echo "\`sdkgen sync $api\` reported changes but printed no changelog." >"$body"
    fi
    if [[ $status -eq 20 ]]; then
      breaking=true
      echo "$me: $api: BREAKING changes upstream" >&2
    else
      breaking=false
      echo "$me: $api: additions or documentation changes upstream" >&2
    fi
    outputs=("changed=true" "breaking=$breaking" "body-path=$body")
    if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
      cat "$body" >>"$GITHUB_STEP_SUMMARY"
    fi
    ;;
  2)
    fail "\`$sdkgen sync $api\` rejected its input (exit 2); its error is above."
    ;;
  127)
    fail "command not found: '$sdkgen' (install sdkgen, or set SDKGEN)"
    ;;
  *)
    fail "\`$sdkgen sync $api\` crashed (exit $status); see its output above."
    ;;
esac

if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  printf '%s\n' "${outputs[@]}" >>"$GITHUB_OUTPUT"
else
  printf '%s\n' "${outputs[@]}"
fi
