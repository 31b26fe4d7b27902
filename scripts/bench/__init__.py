"""`make bench`: how fast the site builds and checks, and how light it is for readers.

Run `PYTHONPATH=scripts .venv/bin/python -m bench [--quick] [--json PATH]`.
It measures, in this order, each part in its own module:
  builds   - strict builds of the real site; the cost of the project's hooks
  scale    - generated corpora (100 and 1,000 pages): build, lint, site check
  weight   - bytes per page view in Chromium, for theme variants
  offline  - the offline bundle's zip size, with and without unused theme files
  pdf      - the print edition: build time, pages and size of the PDF
  search   - search latency in Chromium, hosted and from file://
prints a table (report.py) and writes every figure to build/bench.json.
Figures are measured, never asserted: compare them with the last run.
"""
