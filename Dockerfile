# One image for web (gunicorn), worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var
# WeasyPrint needs Pango; gettext compiles the English catalogue.
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
    && DEBUG=1 python manage.py compilemessages -v0 \
    && DEBUG=1 python manage.py collectstatic --noinput -v0
RUN useradd --create-home samverkan && mkdir -p /app/var && chown -R samverkan /app/var
USER samverkan
EXPOSE 8000
CMD ["gunicorn", "samverkan.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
