# syntax=docker/dockerfile:1
# The one image behind web, worker, beat and migrate (docker-compose.yml); docs/deployment.md.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: dependencies, compiled translations, collected static files ------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH

# gettext: msgfmt for compilemessages. Only this stage has it; the runtime gets the .mo files.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
# The lock alone first, so that a code change does not reinstall every dependency. Its
# --extra-index-url/--find-links lines name this project's local mirrors; pip warns that they are
# missing in the image and takes the same pinned versions from the public index.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --requirement /tmp/requirements.lock

WORKDIR /app
COPY . /app

# Build-time settings only, on the command line rather than in ARG/ENV so that they stay out
# of the image: no database is touched, and this key signs nothing that survives the build.
# The running containers get their own SECRET_KEY from the environment.
WORKDIR /app/courses
RUN SECRET_KEY=build-only-key-that-signs-nothing-in-production \
    python ../manage.py compilemessages --verbosity 0
WORKDIR /app
RUN SECRET_KEY=build-only-key-that-signs-nothing-in-production \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --noinput --verbosity 0

# --- runtime ------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=elearn.settings.base \
    STATIC_ROOT=/app/staticfiles \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

# A fixed uid, so that files on the volumes keep one owner across rebuilds.
RUN groupadd --system --gid 10001 elearn \
    && useradd --system --uid 10001 --gid elearn --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin elearn

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

# The code stays owned by root (the app cannot rewrite itself); only these are writable. Named
# volumes mounted on /data/media and /data/beat start from these directories, owner included.
RUN mkdir -p /app/var /data/media /data/beat \
    && chown -R elearn:elearn /app/var /data

USER elearn
WORKDIR /app
EXPOSE 8000

# The probe speaks to gunicorn directly, so it presents itself as the proxy would: the public
# host (ALLOWED_HOSTS refuses any other) and X-Forwarded-Proto, which stops the HTTPS redirect
# when BEHIND_TLS_PROXY is set. Any answer but 200 (503: database down) is a failure.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.parse, urllib.request; host = urllib.parse.urlsplit(os.environ.get('SITE_BASE_URL', 'http://localhost')).netloc; request = urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': host, 'X-Forwarded-Proto': 'https'}); urllib.request.urlopen(request, timeout=8)"]

# Sync workers (WEB_CONCURRENCY of them): requests are short and heavy work goes to Celery.
# --timeout bounds a stuck request; --max-requests recycles workers before slow leaks matter;
# heartbeat files on /dev/shm, not the container's overlay disk (gunicorn's docs, "Blocking OS
# calls"); no control socket: nothing uses gunicornc here and $HOME is not writable.
CMD ["gunicorn", "elearn.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--no-control-socket", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--keep-alive", "5", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--access-logfile", "-", \
     "--error-logfile", "-"]
