# The plangraph API image, used by docker-compose.yml.
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
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["plangraph", "serve", "--store", "neo4j", "--host", "0.0.0.0", "--port", "8000"]
