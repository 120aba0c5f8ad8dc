"""The prestations app's pages, one module per family: hours, planning, cheques, formulaires, matching, spaces."""
