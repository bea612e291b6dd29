# shellcheck shell=bash
# Sourced by scripts/images.sh and scripts/kube-play.sh: podman with the project's own settings and
# storage under .run/podman/ (git-ignored), so that it does not depend on the machine's podman state.
#
# Settings for machines like the project's build machine (a container itself, cgroups v1/v2
# hybrid, no systemd, loopback networking only): runc (crun refuses hybrid cgroups), cgroupfs
# (no systemd), no default ulimits (the runtime may not raise resource limits), host networking
# only (never a bridge network), no registries to search (nothing is ever pulled: every image is
# built or imported locally).

PODMAN_DIR="${ROOT}/.run/podman"

podman_setup() {
  mkdir -p "${PODMAN_DIR}/storage" "${PODMAN_DIR}/runroot" "${PODMAN_DIR}/tmp" "${PODMAN_DIR}/volumes"
  local helpers='"/usr/libexec/podman", "/usr/lib/podman", "/usr/local/libexec/podman", "/usr/bin"'
  cat >"${PODMAN_DIR}/containers.conf" <<CONF
# Written by scripts/podman-lib.sh; regenerated at every run.
[containers]
default_ulimits = []
netns = "host"
userns = "host"
cgroupns = "host"
log_driver = "k8s-file"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "${PODMAN_DIR}/events.log"
tmp_dir = "${PODMAN_DIR}/tmp"
volume_path = "${PODMAN_DIR}/volumes"
helper_binaries_dir = [${helpers}]
[network]
default_network = "host"
CONF
  cat >"${PODMAN_DIR}/storage.conf" <<CONF
# Written by scripts/podman-lib.sh; regenerated at every run.
[storage]
driver = "overlay"
graphroot = "${PODMAN_DIR}/storage"
runroot = "${PODMAN_DIR}/runroot"
CONF
  cat >"${PODMAN_DIR}/registries.conf" <<CONF
# Written by scripts/podman-lib.sh: no registry is searched; images are built or imported locally.
unqualified-search-registries = []
short-name-mode = "disabled"
CONF
  export CONTAINERS_CONF="${PODMAN_DIR}/containers.conf"
  export CONTAINERS_STORAGE_CONF="${PODMAN_DIR}/storage.conf"
  export CONTAINERS_REGISTRIES_CONF="${PODMAN_DIR}/registries.conf"
  export REGISTRIES_CONFIG_PATH="${PODMAN_DIR}/registries.conf"
  export TMPDIR="${PODMAN_DIR}/tmp"
}

# project_version: the version in the root pom (also the images' tag).
project_version() {
  sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "${ROOT}/pom.xml" | head -n1
}
