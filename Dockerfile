# partnergraph: build the graph from the documents at image build time, serve it on port 5000.
#   docker build -t partnergraph . && docker run --rm -p 5000:5000 partnergraph
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PARTNERGRAPH_STORE_CACHE=/srv/partnergraph/build/stores
WORKDIR /srv/partnergraph
# the query workers' sandbox (seccomp) goes through libseccomp; slim images carry it, this makes it explicit
RUN apt-get update && apt-get install -y --no-install-recommends libseccomp2 && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY service ./service
RUN pip install .

COPY data ./data
COPY ontology ./ontology
COPY shapes ./shapes
COPY docs ./docs
ENV PARTNERGRAPH_ROOT=/srv/partnergraph
RUN partnergraph build --out build

RUN useradd --system --home /srv/partnergraph partnergraph && chown -R partnergraph /srv/partnergraph/build
USER partnergraph
EXPOSE 5000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/health', timeout=3)"
CMD ["partnergraph", "serve", "--host", "0.0.0.0", "--port", "5000", "--release", "build/current"]
