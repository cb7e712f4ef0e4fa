#!/usr/bin/env bash
# Provides the real `helm` CLI for the chart tests and prints the directory that
# holds it as the LAST line of stdout. All progress and diagnostics go to stderr.
#
#   dir="$(bash e2e/assets/build-helm.sh | tail -n1)"
#   export MESHDOOR_HELM="$dir/helm"
#
# Order of preference:
#   1. $MESHDOOR_HELM, if it is an executable `helm` of major version 4.
#   2. A previous successful build in the cache directory (see below).
#   3. A fresh build of helm.sh/helm/v4/cmd/helm from the Go module proxy (needs the Go
#      version helm's go.mod declares; about 2-4 min on 2 cores with empty Go caches).
#
# Environment:
#   MESHDOOR_HELM               use this helm binary instead of building one
#   MESHDOOR_E2E_ASSETS_DIR     cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/meshdoor/e2e-assets)
#   MESHDOOR_E2E_HELM_VERSION   override the pinned helm version (e.g. 4.3.2)
#   MESHDOOR_E2E_BUILD_JOBS     `go build -p` value (default: number of CPUs, at most 4)
set -euo pipefail

# ---- pinned version --------------------------------------------------------
HELM_VERSION="${MESHDOOR_E2E_HELM_VERSION:-4.3.2}"
# ----------------------------------------------------------------------------

STAMP=".build-stamp"
log() { printf '[e2e-helm] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
abs_dir() { (cd "$1" && pwd -P); }

# ---- 1. MESHDOOR_HELM ------------------------------------------------------
if [[ -n "${MESHDOOR_HELM:-}" ]]; then
  if [[ -x "$MESHDOOR_HELM" ]] && "$MESHDOOR_HELM" version --short 2>/dev/null | grep -q '^v4\.'; then
    log "using MESHDOOR_HELM=$MESHDOOR_HELM"
    abs_dir "$(dirname "$MESHDOOR_HELM")"
    exit 0
  fi
  log "warning: MESHDOOR_HELM=$MESHDOOR_HELM is not an executable helm v4; building instead"
fi

# ---- 2. cached build -------------------------------------------------------
CACHE_ROOT="${MESHDOOR_E2E_ASSETS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/meshdoor/e2e-assets}"
NAME="helm-${HELM_VERSION}"
DEST="$CACHE_ROOT/$NAME"

is_complete() { [[ -f "$DEST/$STAMP" && -x "$DEST/helm" ]]; }

if is_complete; then
  log "reusing $DEST"
  abs_dir "$DEST"
  exit 0
fi

# ---- 3. build from the Go module proxy -------------------------------------
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
[e2e-helm] ERROR: 'go' is not on PATH, so helm cannot be built.
  Either install Go (the version helm ${HELM_VERSION}'s go.mod declares) and re-run this script,
  or point MESHDOOR_HELM at a helm v4 binary.
MSG
  exit 1
fi
[[ "$HELM_VERSION" =~ ^4\.[0-9]+\.[0-9]+$ ]] || die "HELM_VERSION must look like 4.3.2, got '$HELM_VERSION'"

mkdir -p "$CACHE_ROOT"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.$NAME.lock"
  if ! flock -n 9; then
    log "another build of $NAME is running; waiting for it"
    flock 9
  fi
  if is_complete; then
    log "reusing $DEST (built by a concurrent run)"
    abs_dir "$DEST"
    exit 0
  fi
fi

WORK="$(mktemp -d "$CACHE_ROOT/.tmp-$NAME.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export CGO_ENABLED=0
export GOFLAGS="-mod=mod -buildvcs=false"
export GOWORK=off
JOBS="${MESHDOOR_E2E_BUILD_JOBS:-}"
if [[ -z "$JOBS" ]]; then
  JOBS="$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
  (( JOBS > 4 )) && JOBS=4
fi

start=$SECONDS
go_version="$(go env GOVERSION 2>/dev/null || true)"
log "building helm v$HELM_VERSION into $DEST (go: $go_version, -p $JOBS)"
BIN="$WORK/bin"
mkdir -p "$BIN"
(
  set -euo pipefail
  # A wrapper module that requires helm at the pinned version, so the build uses
  # exactly the dependency versions helm's own go.mod selects.
  cd "$WORK"
  helm_gomod="$(go list -m -f '{{.GoMod}}' "helm.sh/helm/v4@v$HELM_VERSION")"
  [[ -f "$helm_gomod" ]] || die "cannot read go.mod of helm.sh/helm/v4@v$HELM_VERSION"
  {
    echo "module meshdoor.local/e2e-assets/helm"
    echo
    awk '/^go [0-9]/ || /^godebug / { print }' "$helm_gomod"
    echo
    echo "require helm.sh/helm/v4 v$HELM_VERSION"
  } >go.mod
  cat >tools.go <<'GO'
//go:build tools

package tools

import _ "helm.sh/helm/v4/cmd/helm"
GO
  log "go mod tidy (downloads modules on a cold cache)"
  go mod tidy >&2
  ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=v$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=archive"
  log "go build helm"
  go build -p "$JOBS" -trimpath -ldflags "$ldflags" -o "$BIN/helm" helm.sh/helm/v4/cmd/helm >&2
)

"$BIN/helm" version --short >&2 || die "the built helm does not run"
"$BIN/helm" version --short | grep -q "^v$HELM_VERSION" || die "the built helm does not report v$HELM_VERSION"
{
  echo "helm_version=$HELM_VERSION"
  echo "go_version=$go_version"
  echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "build_seconds=$((SECONDS - start))"
} >"$BIN/$STAMP"
if [[ -e "$DEST" ]]; then
  rm -rf "$DEST.old"
  mv "$DEST" "$DEST.old"
fi
mv "$BIN" "$DEST"
rm -rf "$DEST.old"
log "built $NAME in $((SECONDS - start))s"
abs_dir "$DEST"
