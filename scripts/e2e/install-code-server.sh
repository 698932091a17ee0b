#!/usr/bin/env bash
# Installs code-server, the real VS Code workbench the end-to-end tests drive, outside the
# project's dependencies: it is a test tool, not part of the extension.
#
#   scripts/e2e/install-code-server.sh            install once; later runs return at once
#   RCU_LENS_CACHE=/some/dir scripts/e2e/...      install under /some/dir/code-server
#
# Why the flags below: see shared/reference/real-clients.md. In short, code-server 4.100.3 is the
# last release that accepts Node 20; as root its postinstall refuses to run without
# --unsafe-perm; node-pty's build runs `npx node-gyp`, which must not stop at a prompt; and
# @vscode/ripgrep would download rg from GitHub, which is not reachable, so its download cache
# is seeded with Debian's /usr/bin/rg.
set -euo pipefail

readonly CODE_SERVER_VERSION=4.100.3
# code-server 4.100.3 pins this in lib/vscode/npm-shrinkwrap.json ("node_modules/@vscode/ripgrep").
# Check it after a version bump with:
#   npm pack code-server@X && tar -xzOf code-server-X.tgz package/lib/vscode/npm-shrinkwrap.json
readonly RIPGREP_PACKAGE_VERSION=1.15.11
readonly RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

cache_root="${RCU_LENS_CACHE:-$HOME/.cache/rcu-lens}"
prefix="$cache_root/code-server"
stamp="$prefix/.installed-$CODE_SERVER_VERSION"
package_dir="$prefix/node_modules/code-server"

log() {
  printf 'install-code-server: %s\n' "$*" >&2
}

die() {
  log "error: $*"
  exit 1
}

check_prerequisites() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" = 20 ] || die "code-server $CODE_SERVER_VERSION needs Node 20, found $(node -v)"
  [ -x /usr/bin/rg ] || die "/usr/bin/rg is missing: apt-get install -y ripgrep"
  for tool in make g++ python3 tar; do
    command -v "$tool" >/dev/null || die "$tool is missing: native modules compile from source"
  done
  if ! [ -e /usr/include/gssapi/gssapi.h ] && ! [ -e /usr/include/gssapi.h ]; then
    die "Kerberos headers are missing: apt-get install -y libkrb5-dev"
  fi
}

is_installed() {
  [ -f "$stamp" ] && [ -f "$package_dir/out/node/entry.js" ] &&
    [ -x "$package_dir/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]
}

# Puts Debian's rg where @vscode/ripgrep's postinstall looks for a cached download.
seed_ripgrep_cache() {
  local tmp_root cache_dir work
  tmp_root="$(node -p 'require("os").tmpdir()')"
  cache_dir="$tmp_root/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
  if [ -s "$cache_dir/$RIPGREP_ASSET" ]; then
    return
  fi
  mkdir -p "$cache_dir"
  work="$(mktemp -d)"
  cp /usr/bin/rg "$work/rg"
  tar -czf "$cache_dir/$RIPGREP_ASSET.partial" -C "$work" rg
  mv "$cache_dir/$RIPGREP_ASSET.partial" "$cache_dir/$RIPGREP_ASSET"
  rm -rf "$work"
  log "seeded $cache_dir/$RIPGREP_ASSET from /usr/bin/rg"
}

install_package() {
  mkdir -p "$prefix"
  # A package.json of its own keeps npm from walking up into some other project.
  if ! [ -f "$prefix/package.json" ]; then
    printf '{ "name": "rcu-lens-code-server", "private": true }\n' >"$prefix/package.json"
  fi
  rm -f "$stamp"
  npm_config_yes=true npm_config_unsafe_perm=true npm install \
    --prefix "$prefix" \
    --unsafe-perm \
    --no-audit --no-fund --no-save --omit=dev \
    "code-server@$CODE_SERVER_VERSION"
}

verify_install() {
  local rg_version
  rg_version="$(node -p "require('$package_dir/lib/vscode/node_modules/@vscode/ripgrep/package.json').version")"
  [ "$rg_version" = "$RIPGREP_PACKAGE_VERSION" ] ||
    die "code-server brought @vscode/ripgrep $rg_version, not $RIPGREP_PACKAGE_VERSION: update RIPGREP_PACKAGE_VERSION"
  [ -x "$package_dir/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] || die "ripgrep binary missing"
  "$prefix/node_modules/.bin/code-server" --version >/dev/null || die "code-server does not start"
}

main() {
  if is_installed; then
    log "code-server $CODE_SERVER_VERSION already installed in $prefix"
    return
  fi
  check_prerequisites
  seed_ripgrep_cache
  local started=$SECONDS
  log "installing code-server $CODE_SERVER_VERSION into $prefix (about one or two minutes)"
  install_package
  verify_install
  touch "$stamp"
  log "done in $((SECONDS - started)) s: $prefix/node_modules/.bin/code-server"
}

main "$@"
