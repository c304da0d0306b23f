# The JavaScript the site serves (package.json "dependencies": the check-in
# scanner's QR decoder), installed as package-lock.json pins it; only its
# one-file browser build goes into the image, where STATICFILES_DIRS finds it.
FROM node:24-bookworm-slim AS javascript
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.in -c requirements/lock.txt
COPY . .
COPY --from=javascript /build/node_modules/@zxing/library/umd/index.min.js node_modules/@zxing/library/umd/
# collectstatic needs settings but no secrets of the deployment.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
# /app/var/media is MEDIA_ROOT; it exists in the image so that the named volume
# docker-compose mounts there starts out owned by ipeg.
RUN useradd --system --home /app ipeg && mkdir -p /app/var/media && chown -R ipeg /app/var
USER ipeg
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
