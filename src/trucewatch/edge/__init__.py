"""What the two HTTP edges share: the JSON API (``trucewatch.api``) and the pages
(``trucewatch.web``) both read the request's ledger and settings, the session cookie
and its CSRF token, and turn query results into the same records. Neither edge imports
the other; both import this, and ``trucewatch.server`` composes them into one app."""
