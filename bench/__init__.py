"""`make bench`: fill PostgreSQL at the size of all Walloon ALEs and measure the main pages (docs/performance.md)."""
