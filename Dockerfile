# The plangraph API image, used by docker-compose.yml.

# The explore page's graph-drawing libraries and the API docs' Swagger UI and ReDoc, installed
# from npm by the lockfile (.npmrc: redoc's peers are not installed, see package.json).
FROM node:20-slim AS explorer-assets
WORKDIR /assets
COPY api/static/package.json api/static/package-lock.json api/static/.npmrc ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY plangraph plangraph
COPY api api
COPY ingest ingest
COPY schema schema
COPY queries queries
COPY data data
COPY --from=explorer-assets /assets/node_modules api/static/node_modules
RUN pip install --no-cache-dir -e .
# Derived data made once in the image, not on every container's first start: bytecode, the
# jieba dictionary's trie and the gazetteer's indexes (schema/cache_files.py).
ENV PLANGRAPH_CACHE_DIR=/app/.cache/plangraph
RUN python -m compileall -q plangraph api ingest schema queries && python -m schema.cache_files
EXPOSE 8000
CMD ["plangraph", "serve", "--store", "neo4j", "--host", "0.0.0.0", "--port", "8000"]
