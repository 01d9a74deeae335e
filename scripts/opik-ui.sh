#!/usr/bin/env bash
# Run the real Opik web UI on mockopik and check its optimization pages in headless Chromium.
#
# Unpacks the Opik frontend source (OPIK_UI_TARBALL, else ../shared/opik-ui/opik-frontend-*.tar.xz
# beside this checkout or the local repository it was cloned from), installs it with `npm ci`, starts
# mockopik and the frontend's Vite dev server (VITE_BACKEND_PORT pointing at the mock), then drives
# Debian's Chromium with puppeteer-core through the v2 pages (projects, home, optimizations list, an
# optimization's Overview and Trials tab, a trial) and, with the mock restarted as
# `--workspace-version version_1`, the v1 pages (list, detail, trial, a Studio run's logs); then, with
# the mock serving `--scenario running`, a live run: its Overview and Trials tab every 5 s while it
# grows at `--pace 30`, until it has completed. It fails on a /v1/private answer >= 400 the real
# backend would not give, on an empty panel and on a run that does not move. Last, mockopik's own
# control panel (/_mockopik/, with an admin token): a fault from its form seen in the live table, a
# scenario switch, the clock moving a run, a narrow window.
# Screenshots and the requests seen go to .opik-ui/screenshots/.
#
#   scripts/opik-ui.sh [PHASE...]    phases: v2 v1 live panel (default: all four)
#
# Environment: PYTHON (runs mockopik; default .venv/bin/python, else python3), OPIK_UI_TARBALL,
# CHROMIUM (default /usr/bin/chromium). Needs root or sudo when Chromium must be installed.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

ROOT=$PWD
WORK=$ROOT/.opik-ui
SHOTS=$WORK/screenshots
PYTHON=${PYTHON:-$([ -x .venv/bin/python ] && echo "$ROOT/.venv/bin/python" || echo python3)}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
STEP=starting
STARTED=$SECONDS
PIDS=()

step() { STEP=$1; echo "==> [$((SECONDS - STARTED))s] $1"; }
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

stop_all() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}

on_exit() {
    local status=$?
    stop_all
    if [ "$status" != 0 ]; then
        echo "!! Opik UI job FAILED at step: $STEP (exit status $status)" >&2
        for log in "$WORK"/mockopik.log "$WORK"/vite.log; do
            [ -f "$log" ] && { echo "!! last lines of $log:" >&2; tail -n 20 "$log" >&2; }
        done
    else
        echo "==> Opik UI job passed in $((SECONDS - STARTED))s; screenshots in ${SHOTS#"$ROOT"/}"
    fi
    exit "$status"
}
trap on_exit EXIT

find_tarball() {
    if [ -n "${OPIK_UI_TARBALL:-}" ]; then
        [ -f "$OPIK_UI_TARBALL" ] || { echo "!! OPIK_UI_TARBALL=$OPIK_UI_TARBALL is not a file" >&2; return 1; }
        echo "$OPIK_UI_TARBALL"
        return
    fi
    # Beside this checkout, else beside the local repository it was cloned from (a fresh clone in a
    # temporary directory, say).
    local found origin
    found=$(ls "$ROOT"/../shared/opik-ui/opik-frontend-*.tar.xz 2>/dev/null | head -n 1 || true)
    origin=$(git -C "$ROOT" remote get-url origin 2>/dev/null || true)
    if [ -z "$found" ] && [ -d "$origin" ]; then
        found=$(ls "$origin"/../shared/opik-ui/opik-frontend-*.tar.xz 2>/dev/null | head -n 1 || true)
    fi
    if [ -z "$found" ]; then
        echo "!! no Opik frontend source: set OPIK_UI_TARBALL to an opik-frontend-*.tar.xz, or put one" \
            "in $(cd "$ROOT/.." && pwd)/shared/opik-ui/" >&2
        return 1
    fi
    echo "$found"
}

install_chromium() {
    step "Chromium (Debian's package, no browser download)"
    if [ -x "$CHROMIUM" ]; then
        "$CHROMIUM" --version
        return
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    "$CHROMIUM" --version
}

install_frontend() {
    local tarball=$1 stamp
    stamp="$(basename "$tarball") $(cksum < "$tarball" | cut -d' ' -f1)"
    step "unpack $(basename "$tarball") and npm ci the frontend"
    if [ "$(cat "$WORK/frontend.stamp" 2>/dev/null || true)" != "$stamp" ]; then
        rm -rf "$WORK/frontend"
        mkdir -p "$WORK/frontend"
        tar -xJf "$tarball" -C "$WORK/frontend"
        FRONTEND=$(dirname "$(find "$WORK/frontend" -maxdepth 3 -name package.json -path '*opik-frontend*' | head -n 1)")
        (cd "$FRONTEND" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$stamp" > "$WORK/frontend.stamp"
    else
        echo "already installed from the same tarball"
    fi
    FRONTEND=$(dirname "$(find "$WORK/frontend" -maxdepth 3 -name package.json -path '*opik-frontend*' | head -n 1)")
    step "npm ci the driver (puppeteer-core, which uses the system's Chromium)"
    (cd scripts/opik-ui && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
}

wait_for() {
    local url=$1 what=$2
    for _ in $(seq 1 120); do
        if curl -fsS -o /dev/null "$url" 2>/dev/null; then
            return 0
        fi
        sleep 0.5
    done
    echo "!! $what did not answer at $url in 60 s" >&2
    return 1
}

start_mockopik() {
    local version=$1
    shift
    step "start mockopik on 127.0.0.1:$MOCK_PORT (workspace version $version${*:+, $*})"
    MOCKOPIK_WORKSPACE_VERSION=$version "$PYTHON" -m mockopik serve --host 127.0.0.1 --port "$MOCK_PORT" \
        --quiet "$@" >> "$WORK/mockopik.log" 2>&1 &
    MOCK_PID=$!
    PIDS+=("$MOCK_PID")
    wait_for "http://127.0.0.1:$MOCK_PORT/_mockopik/health" mockopik
}

stop_mockopik() {
    kill "$MOCK_PID" && wait "$MOCK_PID" 2>/dev/null || true
}

start_vite() {
    step "start the frontend's Vite dev server on :$UI_PORT (VITE_BACKEND_PORT=$MOCK_PORT)"
    (cd "$FRONTEND" && VITE_BACKEND_PORT=$MOCK_PORT VITE_DEV_PORT=$UI_PORT \
        exec node_modules/.bin/vite --port "$UI_PORT" --strictPort > "$WORK/vite.log" 2>&1) &
    PIDS+=("$!")
    wait_for "http://localhost:$UI_PORT/" "the Vite dev server"
}

check_pages() {
    local phase=$1
    step "drive the $phase pages with headless Chromium"
    CHROMIUM=$CHROMIUM node scripts/opik-ui/check.mjs --phase "$phase" --ui "http://localhost:$UI_PORT" \
        --mock "http://127.0.0.1:$MOCK_PORT" --out "$SHOTS"
}

check_panel() {
    step "drive mockopik's control panel with headless Chromium"
    CHROMIUM=$CHROMIUM node scripts/opik-ui/panel.mjs --mock "http://127.0.0.1:$MOCK_PORT" \
        --token "$PANEL_TOKEN" --out "$SHOTS"
}

PANEL_TOKEN=panel-check-token
PHASES=("$@")
[ $# -gt 0 ] || PHASES=(v2 v1 live panel)
for phase in "${PHASES[@]}"; do
    case $phase in v2 | v1 | live | panel) ;; *) echo "!! unknown phase $phase (phases: v2 v1 live panel)" >&2; exit 2 ;; esac
done

mkdir -p "$WORK"
rm -rf "$SHOTS" "$WORK"/mockopik.log
TARBALL=$(find_tarball)
install_chromium
install_frontend "$TARBALL"
MOCK_PORT=$(free_port)
UI_PORT=$(free_port)
for phase in "${PHASES[@]}"; do
    case $phase in
        v2) start_mockopik version_2 ;;
        v1) start_mockopik version_1 ;;
        live) start_mockopik version_2 --scenario running --pace 0 ;;  # the series sets the pace
        panel) start_mockopik version_2 --scenario running --pace 0 --admin-token "$PANEL_TOKEN" ;;
    esac
    if [ "$phase" = panel ]; then
        check_panel
    else
        [ -n "${VITE_STARTED:-}" ] || { start_vite; VITE_STARTED=1; }
        check_pages "$phase"
    fi
    stop_mockopik
done
