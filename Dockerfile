# Production image: uvicorn behind a non-root user, data and media on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CMS_DATABASE_URL=sqlite:///data/cinq.sqlite3 \
    CMS_MEDIA_ROOT=/data/media \
    CMS_OPERATIONS_DIR=/app/schema/operations \
    CMS_WORKERS=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY cms ./cms
# The site's operations, known to the persisted-query protocol by hash.
COPY schema/operations ./schema/operations
RUN pip install ".[s3]" \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin cinq \
    && mkdir -p /data/media \
    && chown -R cinq:cinq /data

USER cinq
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# Apply pending migrations, then serve with uvicorn. Set CMS_DATABASE_URL to PostgreSQL before
# raising CMS_WORKERS above 1: `cms serve` refuses several workers on one SQLite file.
CMD ["sh", "-c", "cms migrate && exec cms serve --host 0.0.0.0 --port 8000 --workers \"$CMS_WORKERS\""]
