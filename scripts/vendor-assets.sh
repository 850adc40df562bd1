#!/usr/bin/env bash
# Vendors the third-party front-end assets into static/vendor/.
#
# The output is committed so that builds need no network. Re-run this script
# (via `make assets`) only when changing a pinned version below; the result is
# deterministic, so re-running without a version change produces no diff.
#
# To update a package: change its version AND integrity below. Learn the new
# integrity with `npm view <pkg>@<version> dist.integrity` and check it against
# the package's release notes / a second machine before pinning it.
#
# Requirements: npm, tar, openssl, base64, perl.
set -euo pipefail
shopt -s inherit_errexit

# htmx stays on the 2.x line on purpose: 4.x changes attribute inheritance and
# event names (see docs/frontend.md).
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

NHSUK_VERSION="10.6.1"
NHSUK_INTEGRITY="sha512-PZorqQZjZx/A26yJoskCL9z0ib6AtkAyF0o4K/RHr8zRrJyXrUOCnMbjy0VNXsGO4tfTNMwqlkwATKs4a0xayw=="

# axe-core is used only by the headless-browser accessibility tests: it is
# served as a static file but never included in a page.
AXE_VERSION="4.14.1"
AXE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="

# Favicons for the base layout; the icons the CSS needs are found from the CSS.
NHSUK_EXTRA_IMAGES=(favicon.ico favicon.svg nhsuk-icon-180.png nhsuk-icon-mask.svg)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor_dir="$repo_root/static/vendor"

die() {
	echo "vendor-assets: $*" >&2
	exit 1
}

for tool in npm tar openssl base64 perl; do
	command -v "$tool" >/dev/null || die "$tool is required"
done

mkdir -p "$repo_root/static"
work="$(mktemp -d)"
# The staging directory lives next to the target so the final swap is a rename
# on the same filesystem.
stage="$(mktemp -d "$repo_root/static/.vendor.XXXXXX")"
trap 'rm -rf "$work" "$stage"' EXIT

# fetch PKG VERSION INTEGRITY -> prints the directory of the unpacked package.
fetch() {
	local pkg="$1" version="$2" want="$3" tgz got
	tgz="$(cd "$work" && npm pack "$pkg@$version" --silent --ignore-scripts | tail -n 1)"
	[[ -n "$tgz" && -f "$work/$tgz" ]] || die "npm pack $pkg@$version failed"
	got="sha512-$(openssl dgst -sha512 -binary "$work/$tgz" | base64 | tr -d '\n')"
	[[ "$got" == "$want" ]] || die "$pkg@$version integrity mismatch: got $got, want $want"
	mkdir -p "$work/$pkg"
	tar -xzf "$work/$tgz" -C "$work/$pkg"
	echo "$work/$pkg/package"
}

# --- htmx -------------------------------------------------------------------
htmx_src="$(fetch htmx.org "$HTMX_VERSION" "$HTMX_INTEGRITY")"
mkdir -p "$stage/htmx"
cp "$htmx_src/dist/htmx.min.js" "$stage/htmx/htmx.min.js"
grep -q "version:\"$HTMX_VERSION\"" "$stage/htmx/htmx.min.js" ||
	die "htmx.min.js does not declare version $HTMX_VERSION"

# --- NHS.UK frontend --------------------------------------------------------
nhsuk_src="$(fetch nhsuk-frontend "$NHSUK_VERSION" "$NHSUK_INTEGRITY")/dist/nhsuk"
mkdir -p "$stage/nhsuk/images"

# The precompiled bundle is a self-contained ES module (it ends in `export{...}`
# and calls nothing); static/js/app.js imports it and runs initAll.
# Source maps are not vendored, so drop the comment that would make every
# devtools session request a missing .map file.
perl -0pe 's{//# sourceMappingURL=\S+\s*\z}{\n}' \
	"$nhsuk_src/nhsuk-frontend.min.js" >"$stage/nhsuk/nhsuk-frontend.min.js"
grep -q "version=\"$NHSUK_VERSION\"" "$stage/nhsuk/nhsuk-frontend.min.js" ||
	die "nhsuk-frontend.min.js does not declare version $NHSUK_VERSION"

# CSS rewrites:
#  - drop @font-face rules: they load the licensed Frutiger font from an
#    external NHS host, which hospital firewalls and our CSP block; the Arial
#    fallback in the font stack is used instead.
#  - /assets/images/x.svg -> images/x.svg, relative to the CSS file, which is
#    served from the same directory under a content-hashed name.
#  - drop the source map comment (maps are not vendored).
perl -0pe '
	s#\@font-face\s*\{[^}]*\}##g;
	s#url\(\s*(["'\'']?)/assets/images/#url($1images/#g;
	s#/\*\#\s*sourceMappingURL=[^*]*\*/##g;
' "$nhsuk_src/nhsuk-frontend.min.css" >"$stage/nhsuk/nhsuk-frontend.min.css"

css="$stage/nhsuk/nhsuk-frontend.min.css"
if grep -Eq '@font-face' "$css"; then
	die "@font-face left in CSS"
fi
if grep -Eqi 'url\(\s*["'\'']?\s*(https?:)?//' "$css"; then
	die "external url() left in CSS"
fi
if grep -Eq 'url\(\s*["'\'']?/' "$css"; then
	die "absolute-path url() left in CSS"
fi

# Copy exactly the images the CSS references (plus the favicons), so an
# upstream change in which icons are used is picked up automatically.
mapfile -t css_images < <(grep -Eo 'url\(\s*["'\'']?images/[^)"'\'' ]+' "$css" |
	sed -E 's/.*images\///' | sort -u)
for img in "${css_images[@]}" "${NHSUK_EXTRA_IMAGES[@]}"; do
	[[ -f "$nhsuk_src/assets/images/$img" ]] || die "image $img not in nhsuk-frontend"
	cp "$nhsuk_src/assets/images/$img" "$stage/nhsuk/images/$img"
done

# --- axe-core (browser tests only) ------------------------------------------
axe_src="$(fetch axe-core "$AXE_VERSION" "$AXE_INTEGRITY")"
mkdir -p "$stage/axe-core"
cp "$axe_src/axe.min.js" "$stage/axe-core/axe.min.js"
head -n 1 "$stage/axe-core/axe.min.js" | grep -qF "axe v$AXE_VERSION" ||
	die "axe.min.js does not declare version $AXE_VERSION"
if grep -q 'sourceMappingURL' "$stage/axe-core/axe.min.js"; then
	die "axe.min.js has a source map comment"
fi
# axe.min.js is MPL-2.0 and bundles MIT/ISC code whose notices are in
# LICENSE-3RD-PARTY.txt; keep both next to it. Both are stored without an
# extension so that, like VERSIONS, they are records and not served assets.
cp "$axe_src/LICENSE" "$stage/axe-core/LICENSE"
cp "$axe_src/LICENSE-3RD-PARTY.txt" "$stage/axe-core/LICENSE-3RD-PARTY"

cat >"$stage/VERSIONS" <<EOF
# Generated by scripts/vendor-assets.sh; do not edit by hand.
# package version integrity
htmx.org $HTMX_VERSION $HTMX_INTEGRITY
nhsuk-frontend $NHSUK_VERSION $NHSUK_INTEGRITY
axe-core $AXE_VERSION $AXE_INTEGRITY
EOF

# Normalise permissions so re-runs under different umasks give no git diff.
find "$stage" -type d -exec chmod 755 {} +
find "$stage" -type f -exec chmod 644 {} +

rm -rf "$vendor_dir"
mv "$stage" "$vendor_dir"

echo "vendor-assets: wrote $(find "$vendor_dir" -type f | wc -l) files to static/vendor/"
