"""Every write of the core, as keyword-only functions that validate, write and audit in one transaction."""
