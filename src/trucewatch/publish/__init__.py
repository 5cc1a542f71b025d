"""Publishing the ledger: JSON records, tables (later the API, digest, PDF and exports)."""
