#!/usr/bin/env bash
# Build the mockopik image with podman on a Debian machine without Docker Hub, run it, wait until it
# is healthy, run the live tests against it through MOCKOPIK_URL, and remove it.
#
#   scripts/container.sh            everything (what CI runs)
#   scripts/container.sh build      only install the tools, build the base image and the image
#
# Environment: PYTHON (runs the live tests; default .venv/bin/python, else python3),
# MOCKOPIK_IMAGE (default localhost/mockopik), MOCKOPIK_TEST_PORT (default 15173).
# Needs root or sudo for apt-get, debootstrap and podman.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

IMAGE=${MOCKOPIK_IMAGE:-localhost/mockopik}
BASE=localhost/mockopik-base
PORT=${MOCKOPIK_TEST_PORT:-15173}
NAME=mockopik-check-$$
RUNC=/usr/sbin/runc
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
# Without systemd there is no timer to run the HEALTHCHECK: wait_healthy runs it by hand.
RUN_OPTIONS=(--runtime "$RUNC" "${LIMITS[@]}" --detach --health-interval disable)
PYTHON=${PYTHON:-$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}
SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
STEP=starting
STARTED=$SECONDS

step() { STEP=$1; echo "==> [$((SECONDS - STARTED))s] $1"; }
# Without systemd, podman 4.3 logs an error about health-check timers on run, stop and rm; drop those.
podman_() { $SUDO podman "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }

on_exit() {
    local status=$?
    if [ "$status" != 0 ]; then
        echo "!! container job FAILED at step: $STEP (exit status $status)" >&2
        if podman_ container exists "$NAME" 2>/dev/null; then
            echo "!! last lines of the container's log:" >&2
            podman_ logs --tail 40 "$NAME" >&2 || true
        fi
    fi
    for container in "$NAME" "$NAME-port"; do
        podman_ rm --force --ignore "$container" >/dev/null 2>&1 || true
    done
    [ "$status" = 0 ] && echo "==> container job passed in $((SECONDS - STARTED))s"
    exit "$status"
}
trap on_exit EXIT

install_tools() {
    step "install podman, runc and debootstrap (apt-get)"
    if command -v podman >/dev/null && [ -x "$RUNC" ] && command -v debootstrap >/dev/null; then
        echo "already installed"
        return
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq podman runc debootstrap >/dev/null
}

build_base() {
    step "build the base image $BASE (debootstrap bookworm: python3, python3-venv, ca-certificates)"
    if podman_ image exists "$BASE"; then
        echo "already built"
        return
    fi
    local rootfs
    rootfs=$(mktemp -d)
    $SUDO debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
        bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
    # Like the official slim images: no package caches, lists, manuals or translations.
    $SUDO rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
        "$rootfs"/usr/share/{doc,man,info,locale}/*
    $SUDO tar -C "$rootfs" -c . | podman_ import --quiet - "$BASE" >/dev/null
    $SUDO rm -rf "$rootfs"
}

build_image() {
    step "build the image $IMAGE from the Dockerfile"
    # --format docker keeps HEALTHCHECK (the OCI format drops it); the host's CA bundle lets pip
    # through a TLS-inspecting proxy.
    podman_ build --runtime "$RUNC" "${LIMITS[@]}" --format docker --quiet \
        --build-arg BASE_IMAGE="$BASE" \
        --build-arg PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
        -v /etc/ssl/certs:/etc/ssl/certs:ro \
        -t "$IMAGE" .
    echo "image size: $(podman_ image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1 / 1e6}')"
}

# Run the container's own HEALTHCHECK until it passes.
wait_healthy() {
    local container=$1
    for _ in $(seq 1 60); do
        if podman_ healthcheck run "$container" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.5
    done
    echo "!! $container did not become healthy in 30 s" >&2
    return 1
}

check_image() {
    step "run the image on 127.0.0.1:$PORT and wait until healthy"
    podman_ run "${RUN_OPTIONS[@]}" --name "$NAME" -p "127.0.0.1:$PORT:5173" "$IMAGE" >/dev/null
    wait_healthy "$NAME"

    step "check the container: non-root user, one process"
    local uid processes
    uid=$(podman_ exec "$NAME" id -u)
    [ "$uid" != 0 ] || { echo "!! the server runs as root" >&2; return 1; }
    processes=$(podman_ top "$NAME" args | tail -n +2)
    echo "user id $uid; processes: $processes"
    [ "$(echo "$processes" | wc -l)" = 1 ] || { echo "!! more than one process" >&2; return 1; }

    step "run the live tests against the container (MOCKOPIK_URL=http://127.0.0.1:$PORT)"
    MOCKOPIK_URL="http://127.0.0.1:$PORT" "$PYTHON" -m pytest -m live -p no:cacheprovider -q tests

    step "check that MOCKOPIK_* variables configure it and the HEALTHCHECK follows a changed port"
    podman_ run "${RUN_OPTIONS[@]}" --name "$NAME-port" -e MOCKOPIK_PORT=8080 -e MOCKOPIK_COUNT=2 \
        -p "127.0.0.1:$((PORT + 1)):8080" "$IMAGE" >/dev/null
    wait_healthy "$NAME-port"
    "$PYTHON" - "http://127.0.0.1:$((PORT + 1))/v1/private/optimizations" <<'PY'
import json, sys, urllib.request
total = json.load(urllib.request.urlopen(sys.argv[1], timeout=10))["total"]
assert total == 2, f"MOCKOPIK_COUNT=2 gave {total} optimizations"
print(f"{sys.argv[1]}: {total} optimizations, as MOCKOPIK_COUNT=2 asks")
PY

    step "stop the container with SIGTERM: it must exit cleanly (status 0)"
    podman_ stop --time 10 "$NAME" >/dev/null
    local exit_code
    exit_code=$(podman_ inspect --format '{{.State.ExitCode}}' "$NAME")
    [ "$exit_code" = 0 ] || { echo "!! exit status $exit_code after SIGTERM" >&2; return 1; }
    podman_ logs "$NAME" 2>&1 | tail -n 3
}

install_tools
build_base
build_image
if [ "${1:-all}" != build ]; then
    check_image
fi
