"""Demo and bulk data, outside the product (as Zulip keeps its development data in zilencer/).

Not a Django app: no models, no migrations, not in INSTALLED_APPS. The product never imports
it; the management commands ``setup_demo`` and ``seed_cohort`` run it, and tests and benches
make their bulk learners with ``demo.bulk``.

- accounts.py (and accounts.json): the demo accounts, their passwords published in README.
- site.py: what ``make run`` shows, the course imported, the accounts, a demo cohort.
- seeding.py: a cohort of N learners who behave like a real cohort (``seed_cohort``).
- bulk.py: learners' records written in bulk, the one writer behind all of the above.
"""
