#!/usr/bin/env bash
# Builds the services' JVM images with podman, on a JRE base image made from Debian packages.
#
#   scripts/images.sh            the base image (cached) and the three images
#   scripts/images.sh base       only the base image; prints its name
#
# 1. The base: debootstrap --variant=minbase --include=openjdk-17-jre-headless from the machine's
#    own apt mirror (the first `deb` source of the release's main component in /etc/apt/sources.list
#    or /etc/apt/sources.list.d/*.list|*.sources; APT_MIRROR overrides it), trimmed, then
#    `podman import`ed as localhost/tributary/jre-base:<key>. The key is a hash of the release and
#    the candidate versions of the JRE and libc packages, so a new Debian point release makes a new
#    base. Cached twice: as that podman image and as .run/images/jre-base-<key>.tar.gz (both
#    git-ignored), so a run with an emptied podman storage only imports it again.
# 2. The jars: ./mvnw -B -ntp -DskipTests package for the three services (SKIP_BUILD=1 reuses
#    target/quarkus-app/ as it is).
# 3. The images: podman build -f <service>/src/main/docker/Dockerfile.jvm with that base as
#    BASE_IMAGE, tagged tributary/<service>:<version> (version from the root pom).
#
# Needs root (debootstrap, podman with runc); installs podman, runc, catatonit and debootstrap
# with apt-get when they are missing. Podman's storage and settings are the project's own, under
# .run/podman/ (scripts/podman-lib.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
# shellcheck source=scripts/podman-lib.sh
. "${ROOT}/scripts/podman-lib.sh"

SERVICES="ingestion-api sla-evaluator notice-service"
IMAGES_DIR="${ROOT}/.run/images"
LOG_DIR="${ROOT}/.run/logs"
BASE_PACKAGES="openjdk-17-jre-headless"

say() { echo "images.sh: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# ensure_tools: podman and friends, from Debian's packages when missing (as root only).
ensure_tools() {
  local missing=""
  command -v podman >/dev/null 2>&1 || missing="${missing} podman"
  command -v runc >/dev/null 2>&1 || missing="${missing} runc"
  command -v catatonit >/dev/null 2>&1 || [ -x /usr/libexec/podman/catatonit ] || missing="${missing} catatonit"
  command -v debootstrap >/dev/null 2>&1 || missing="${missing} debootstrap"
  [ -z "${missing}" ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "missing:${missing}; install them (Debian/Ubuntu: apt-get install${missing})"
  fi
  say "installing${missing} with apt-get..."
  mkdir -p "${LOG_DIR}"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${missing}; } \
    >"${LOG_DIR}/apt-get.log" 2>&1 </dev/null || die "apt-get install${missing} failed; see .run/logs/apt-get.log"
}

# release: the Debian release codename of this machine (DEBIAN_RELEASE overrides it).
release() {
  if [ -n "${DEBIAN_RELEASE:-}" ]; then echo "${DEBIAN_RELEASE}"; return; fi
  local codename
  codename="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")"
  [ -n "${codename}" ] || die "cannot tell the Debian release from /etc/os-release; set DEBIAN_RELEASE"
  echo "${codename}"
}

# apt_mirror RELEASE: the URI of the machine's first apt source for RELEASE's main component.
apt_mirror() {
  if [ -n "${APT_MIRROR:-}" ]; then echo "${APT_MIRROR}"; return; fi
  python3 - "$1" <<'PY'
import glob, sys
release = sys.argv[1]
found = []
def one_line(path):
    for line in open(path, encoding="utf-8", errors="replace"):
        words = line.split("#", 1)[0].split()
        if len(words) < 4 or words[0] != "deb":
            continue
        words = [w for w in words[1:] if not (w.startswith("[") or w.endswith("]") or "=" in w)]
        if len(words) >= 3 and words[1] == release and "main" in words[2:]:
            found.append(words[0])
def deb822(path):
    for stanza in open(path, encoding="utf-8", errors="replace").read().split("\n\n"):
        fields, key = {}, None
        for line in stanza.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if line[0].isspace() and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, value = line.split(":", 1)
                key = key.strip().lower()
                fields[key] = value.strip()
        if fields.get("enabled", "yes").lower() == "no":
            continue
        if "deb" in fields.get("types", "").split() and release in fields.get("suites", "").split() \
                and "main" in fields.get("components", "").split():
            found.extend(fields.get("uris", "").split())
paths = ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list"))
for p in paths:
    try: one_line(p)
    except OSError: pass
for p in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    deb822(p)
if found:
    print(found[0].rstrip("/"))
PY
}

# base_key RELEASE: release plus the candidate versions of what the base contains.
base_key() {
  local versions pkg
  versions="$1"
  for pkg in ${BASE_PACKAGES} libc6; do
    versions="${versions} ${pkg}=$(apt-cache policy "${pkg}" 2>/dev/null | sed -n 's/^ *Candidate: //p')"
  done
  echo "${versions}" | sha256sum | cut -c1-12
}

# make_base: prints the base image's name; makes it (or imports the cached tarball) when needed.
make_base() {
  local rel key image tarball mirror rootfs started
  rel="$(release)"
  key="$(base_key "${rel}")"
  image="localhost/tributary/jre-base:${rel}-${key}"
  tarball="${IMAGES_DIR}/jre-base-${rel}-${key}.tar.gz"
  if podman image exists "${image}"; then
    say "base image ${image} is cached"
    echo "${image}"
    return
  fi
  mkdir -p "${IMAGES_DIR}" "${LOG_DIR}"
  if [ ! -s "${tarball}" ]; then
    mirror="$(apt_mirror "${rel}")"
    [ -n "${mirror}" ] || die "no apt source for ${rel} main in /etc/apt/sources.list(.d); set APT_MIRROR"
    rootfs="${IMAGES_DIR}/rootfs-${rel}-${key}"
    rm -rf "${rootfs}"
    started=${SECONDS}
    say "making the JRE base: debootstrap --variant=minbase --include=${BASE_PACKAGES// /,} ${rel} from ${mirror}"
    say "(once per Debian release and JRE version, a few minutes; log: .run/logs/debootstrap.log)"
    debootstrap --variant=minbase --include="${BASE_PACKAGES// /,}" "${rel}" "${rootfs}" "${mirror}" \
      >"${LOG_DIR}/debootstrap.log" 2>&1 </dev/null ||
      { tail -n 20 "${LOG_DIR}/debootstrap.log" >&2; rm -rf "${rootfs}"; die "debootstrap failed"; }
    # What a runtime image does not need: package lists and caches, documentation, locales.
    rm -rf "${rootfs}"/var/lib/apt/lists/* "${rootfs}"/var/cache/apt/* "${rootfs}"/var/log/* \
      "${rootfs}"/usr/share/doc/* "${rootfs}"/usr/share/man/* "${rootfs}"/usr/share/info/* \
      "${rootfs}"/usr/share/locale/* "${rootfs}"/tmp/*
    [ -x "${rootfs}/usr/bin/java" ] || die "the base has no /usr/bin/java"
    tar -C "${rootfs}" --numeric-owner -czf "${tarball}.part" . && mv "${tarball}.part" "${tarball}"
    rm -rf "${rootfs}"
    say "base made in $((SECONDS - started)) s: ${tarball#"${ROOT}"/} ($(du -h "${tarball}" | cut -f1))"
  fi
  say "importing ${tarball#"${ROOT}"/} as ${image}"
  podman import -q --change 'CMD ["/bin/sh"]' --change 'ENV LANG=C.UTF-8' "${tarball}" "${image}" >/dev/null
  echo "${image}"
}

build_jars() {
  if [ "${SKIP_BUILD:-0}" = "1" ]; then
    say "SKIP_BUILD=1: using the jars in <service>/target/quarkus-app/ as they are"
  else
    say "building the services (./mvnw -B -ntp -DskipTests package; SKIP_BUILD=1 skips this)..."
    ./mvnw -B -ntp -q -DskipTests package -pl "${SERVICES// /,}" -am </dev/null
  fi
  local svc
  for svc in ${SERVICES}; do
    [ -f "${svc}/target/quarkus-app/quarkus-run.jar" ] || die "${svc}/target/quarkus-app/quarkus-run.jar is missing; build without SKIP_BUILD=1"
  done
}

build_images() {
  local base="$1" version svc
  version="$(project_version)"
  for svc in ${SERVICES}; do
    say "building tributary/${svc}:${version} (${svc}/src/main/docker/Dockerfile.jvm, BASE_IMAGE=${base})"
    podman build --pull=never --network=host -q -f "${svc}/src/main/docker/Dockerfile.jvm" \
      --build-arg "BASE_IMAGE=${base}" -t "tributary/${svc}:${version}" "${svc}" >/dev/null
  done
  # Images of earlier builds with the same tag lose it; drop them so the storage does not grow.
  podman image prune -f >/dev/null 2>&1 || true
}

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap and podman with runc and cgroupfs need it)"
ensure_tools
podman_setup
case "${1:-all}" in
  base) make_base ;;
  all)
    base="$(make_base)"
    build_jars
    build_images "${base}"
    ;;
  *) echo "usage: $0 [all|base]" >&2; exit 64 ;;
esac
