#!/usr/bin/env bash
# Provides the e2e control-plane binaries (kube-apiserver, kube-controller-manager,
# kubectl, etcd) and prints the directory that holds them as the LAST line of stdout.
# All progress and diagnostics go to stderr.
#
#   dir="$(bash e2e/assets/build.sh | tail -n1)"
#   export KUBEBUILDER_ASSETS="$dir"
#
# Order of preference:
#   1. $KUBEBUILDER_ASSETS, if it holds kube-apiserver, etcd and kubectl
#      (e.g. from `setup-envtest use 1.34 -p path`).
#   2. A previous successful build in the cache directory (see below).
#   3. A fresh build from the Go module proxy (needs Go >= 1.25; about 6 min on 2 cores
#      with empty Go caches, well under a minute when the Go build cache is warm).
#
# Environment:
#   KUBEBUILDER_ASSETS          use prebuilt envtest binaries from this directory
#   MESHDOOR_E2E_ASSETS_DIR     cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/meshdoor/e2e-assets)
#   MESHDOOR_E2E_K8S_VERSION    override the pinned Kubernetes version (e.g. 1.34.12)
#   MESHDOOR_E2E_ETCD_VERSION   override the pinned etcd version (e.g. 3.6.14)
#   MESHDOOR_E2E_BUILD_JOBS     `go build -p` value (default: number of CPUs, at most 4)
set -euo pipefail

# ---- pinned versions -------------------------------------------------------
# Kubernetes release built from k8s.io/kubernetes; its staging modules
# (k8s.io/api, k8s.io/client-go, ...) are used at the matching v0.<minor>.<patch>.
K8S_VERSION="${MESHDOOR_E2E_K8S_VERSION:-1.34.12}"
# etcd server built from go.etcd.io/etcd/server/v3 (Kubernetes 1.34 uses the 3.6 line).
ETCD_VERSION="${MESHDOOR_E2E_ETCD_VERSION:-3.6.14}"
# Minimum Go version both go.mod files declare (k8s 1.34 and etcd 3.6.14: go 1.25.0).
GO_MIN_VERSION="1.25"
# ----------------------------------------------------------------------------

BINARIES=(kube-apiserver kube-controller-manager kubectl etcd)
STAMP=".build-stamp"

log() { printf '[e2e-assets] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

abs_dir() { (cd "$1" && pwd -P); }

have_bins() { # dir bin...
  local dir="$1" b
  shift
  for b in "$@"; do
    [[ -f "$dir/$b" && -x "$dir/$b" ]] || return 1
  done
}

# ---- 1. KUBEBUILDER_ASSETS -------------------------------------------------
if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  if [[ -d "$KUBEBUILDER_ASSETS" ]] && have_bins "$KUBEBUILDER_ASSETS" kube-apiserver etcd kubectl; then
    dir="$(abs_dir "$KUBEBUILDER_ASSETS")"
    if ! have_bins "$dir" kube-controller-manager; then
      log "warning: $dir has no kube-controller-manager; tests that need Deployments -> ReplicaSets -> Pods will not work"
    fi
    log "using KUBEBUILDER_ASSETS=$dir"
    printf '%s\n' "$dir"
    exit 0
  fi
  log "warning: KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS lacks kube-apiserver, etcd or kubectl; building instead"
fi

# ---- 2. cached build -------------------------------------------------------
CACHE_ROOT="${MESHDOOR_E2E_ASSETS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/meshdoor/e2e-assets}"
NAME="k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}"
DEST="$CACHE_ROOT/$NAME"

is_complete() { [[ -f "$DEST/$STAMP" ]] && have_bins "$DEST" "${BINARIES[@]}"; }

if is_complete; then
  log "reusing $DEST"
  printf '%s\n' "$(abs_dir "$DEST")"
  exit 0
fi

# ---- 3. build from the Go module proxy -------------------------------------
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
[e2e-assets] ERROR: 'go' is not on PATH, so the e2e binaries cannot be built.
  Either install Go >= ${GO_MIN_VERSION} (e.g. 'apt-get install golang' if your distribution's
  package is new enough, or a release from https://go.dev/dl/), then re-run this script;
  or point KUBEBUILDER_ASSETS at a directory with envtest binaries
  (kube-apiserver, etcd, kubectl), e.g.:
    export KUBEBUILDER_ASSETS="\$(setup-envtest use 1.34 -p path)"
MSG
  exit 1
fi

[[ "$K8S_VERSION" =~ ^1\.([0-9]+)\.([0-9]+)$ ]] || die "K8S_VERSION must look like 1.34.12, got '$K8S_VERSION'"
K8S_MINOR="${BASH_REMATCH[1]}"
STAGING_VERSION="v0.${K8S_MINOR}.${BASH_REMATCH[2]}"
[[ "$ETCD_VERSION" =~ ^3\.[0-9]+\.[0-9]+$ ]] || die "ETCD_VERSION must look like 3.6.14, got '$ETCD_VERSION'"

go_version="$(go env GOVERSION 2>/dev/null || true)"
if [[ "$go_version" =~ ^go1\.([0-9]+) ]] && (( BASH_REMATCH[1] < ${GO_MIN_VERSION#1.} )); then
  log "warning: $go_version is older than go${GO_MIN_VERSION}; the go command will try to fetch a newer"
  log "         toolchain (GOTOOLCHAIN=auto). Install Go >= ${GO_MIN_VERSION} if that fails."
fi

mkdir -p "$CACHE_ROOT"

# Serialise concurrent builds of the same version.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.$NAME.lock"
  if ! flock -n 9; then
    log "another build of $NAME is running; waiting for it"
    flock 9
  fi
  if is_complete; then
    log "reusing $DEST (built by a concurrent run)"
    printf '%s\n' "$(abs_dir "$DEST")"
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
  (( JOBS > 4 )) && JOBS=4 # each compile/link of the big packages takes 1-2 GiB
fi

BIN="$WORK/bin"
mkdir -p "$BIN"
start=$SECONDS
log "building $NAME into $DEST (go: $go_version, -p $JOBS); this takes a while on a cold cache"

# go.mod directives of the upstream main module that also shape the binaries
# (the 'go' line picks the default GODEBUG settings, 'godebug' lines override them).
upstream_directives() { # path-to-go.mod
  awk '/^go [0-9]/ || /^godebug / { print }' "$1"
}

# ---- Kubernetes ------------------------------------------------------------
(
  set -euo pipefail
  mod="$WORK/k8s"
  mkdir -p "$mod"
  cd "$mod"
  log "k8s: resolving k8s.io/kubernetes@v$K8S_VERSION"
  k8s_info="$(go list -m -f '{{.GoMod}}|{{if .Time}}{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}{{end}}' "k8s.io/kubernetes@v$K8S_VERSION")"
  k8s_gomod="${k8s_info%%|*}"
  build_date="${k8s_info#*|}"
  [[ -f "$k8s_gomod" ]] || die "cannot read go.mod of k8s.io/kubernetes@v$K8S_VERSION"

  # Staging modules = every 'k8s.io/x => ./staging/...' replace in upstream's go.mod.
  mapfile -t staging < <(awk '
    $1 == "replace" { $1 = ""; $0 = $0 }
    $2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }' "$k8s_gomod" | sort -u)
  (( ${#staging[@]} > 0 )) || die "found no staging replace directives in $k8s_gomod"
  log "k8s: ${#staging[@]} staging modules at $STAGING_VERSION"

  {
    echo "module meshdoor.local/e2e-assets/k8s"
    echo
    upstream_directives "$k8s_gomod"
    echo
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo
    echo "replace ("
    for m in "${staging[@]}"; do printf '\t%s => %s %s\n' "$m" "$m" "$STAGING_VERSION"; done
    echo ")"
  } >go.mod
  cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
  log "k8s: go mod tidy (downloads modules on a cold cache)"
  go mod tidy >&2

  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X '$pkg.gitVersion=v$K8S_VERSION'"
    ldflags+=" -X '$pkg.gitMajor=1'"
    ldflags+=" -X '$pkg.gitMinor=$K8S_MINOR'"
    ldflags+=" -X '$pkg.gitCommit='"
    ldflags+=" -X '$pkg.gitTreeState=archive'"
    [[ -n "$build_date" ]] && ldflags+=" -X '$pkg.buildDate=$build_date'"
  done
  log "k8s: go build kube-apiserver kube-controller-manager kubectl"
  go build -p "$JOBS" -trimpath -tags=selinux,notest -ldflags "$ldflags" -o "$BIN/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kubectl >&2
  log "k8s: done after $((SECONDS - start))s"
)

# ---- etcd ------------------------------------------------------------------
# A separate wrapper module so etcd's dependency versions don't move those of
# Kubernetes (which itself requires the etcd 3.6.4 client modules).
(
  set -euo pipefail
  mod="$WORK/etcd"
  mkdir -p "$mod"
  cd "$mod"
  log "etcd: resolving go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  etcd_gomod="$(go list -m -f '{{.GoMod}}' "go.etcd.io/etcd/server/v3@v$ETCD_VERSION")"
  [[ -f "$etcd_gomod" ]] || die "cannot read go.mod of go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  # server/v3 replaces its sibling modules with ../<dir>; use the published ones
  # at the same version instead.
  {
    echo "module meshdoor.local/e2e-assets/etcd"
    echo
    upstream_directives "$etcd_gomod"
    echo
    echo "require go.etcd.io/etcd/server/v3 v$ETCD_VERSION"
    echo
    echo "replace ("
    for m in api/v3 client/pkg/v3 client/v3 pkg/v3; do
      printf '\tgo.etcd.io/etcd/%s => go.etcd.io/etcd/%s v%s\n' "$m" "$m" "$ETCD_VERSION"
    done
    echo ")"
  } >go.mod
  cat >tools.go <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
  log "etcd: go mod tidy"
  go mod tidy >&2
  log "etcd: go build"
  go build -p "$JOBS" -trimpath -ldflags "-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3 >&2
  log "etcd: done after $((SECONDS - start))s"
)

# ---- check and move into place ---------------------------------------------
have_bins "$BIN" "${BINARIES[@]}" || die "build finished but some binaries are missing in $BIN"
"$BIN/kube-apiserver" --version >&2
"$BIN/etcd" --version >&2
{
  echo "k8s_version=$K8S_VERSION"
  echo "etcd_version=$ETCD_VERSION"
  echo "go_version=$go_version"
  echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "build_seconds=$((SECONDS - start))"
} >"$BIN/$STAMP"

if [[ -e "$DEST" ]]; then # an incomplete/damaged earlier result
  rm -rf "$DEST.old"
  mv "$DEST" "$DEST.old"
fi
mv "$BIN" "$DEST"
rm -rf "$DEST.old"
log "built $NAME in $((SECONDS - start))s"
printf '%s\n' "$(abs_dir "$DEST")"
