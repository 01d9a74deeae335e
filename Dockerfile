# mockopik in a container: one waitress process, non-root, configured by MOCKOPIK_* variables.
#   docker build -t mockopik . && docker run -p 5173:5173 mockopik
# Any Debian-like image with python3 (3.10+) and its venv module can be the base (see scripts/container.sh).
ARG BASE_IMAGE=python:3.12-slim

FROM ${BASE_IMAGE} AS build
# A CA bundle for pip when downloads go through a TLS-inspecting proxy (unset: pip's own bundle).
ARG PIP_CERT
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
COPY setup.cfg pyproject.toml README.md ./
# The package ships the scenario files as package data (mockopik/data/fixtures; fixtures/ links to it).
COPY mockopik ./mockopik
RUN python3 -m venv /opt/mockopik \
    && /opt/mockopik/bin/pip install . \
    && /opt/mockopik/bin/pip uninstall --yes --quiet --quiet pip setuptools

FROM ${BASE_IMAGE}
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /srv/mockopik --shell /usr/sbin/nologin mockopik
COPY --from=build /opt/mockopik /opt/mockopik
# The scenarios also as plain files, to read or to copy: /srv/mockopik/fixtures/<name>.json
COPY mockopik/data/fixtures /srv/mockopik/fixtures
# The state file's home (MOCKOPIK_STATE=/var/lib/mockopik/state.sqlite3), owned by the user that writes it.
RUN mkdir -p /var/lib/mockopik && chown mockopik:mockopik /var/lib/mockopik
VOLUME ["/var/lib/mockopik"]
WORKDIR /srv/mockopik
ENV PATH=/opt/mockopik/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MOCKOPIK_HOST=0.0.0.0 \
    MOCKOPIK_PORT=5173
USER mockopik
EXPOSE 5173
# `mockopik health` reads MOCKOPIK_HOST/MOCKOPIK_PORT like `serve` does, so it follows a changed port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["mockopik", "health"]
ENTRYPOINT ["mockopik"]
CMD ["serve"]
