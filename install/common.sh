# Shared by install/jgen-notebook and install/test: what jgen needs from Debian, installed when missing.
# Sourced, not run.

JGEN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JGEN_KERNELSPEC="$JGEN_ROOT/kernel/target/jupyter/kernels/jgen"

# Java 17 and Maven build it; Jupyter runs it; the data set feeds it; fonts draw the charts.
JGEN_PACKAGES=(
  openjdk-17-jdk-headless maven
  jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel
  dataset-fashion-mnist
  fonts-dejavu-core
)
# The tests also need the kernel conformance suite and a real browser.
JGEN_TEST_PACKAGES=(python3-jupyter-kernel-test python3-psutil chromium chromium-driver)

# Installs the given Debian packages (default: JGEN_PACKAGES) that are missing.
jgen_ensure_packages() {
  local wanted=("$@")
  [ ${#wanted[@]} -eq 0 ] && wanted=("${JGEN_PACKAGES[@]}")
  local missing=()
  local p
  for p in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "jgen: installing ${missing[*]}" >&2
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
}

# Every JVM jgen starts stays offline (DJL would otherwise make telemetry calls on first start).
export DJL_OFFLINE=true
