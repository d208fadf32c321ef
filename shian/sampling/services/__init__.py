"""Every write of the sampling app, audited in the transaction that makes it."""

from .data import catalogue_load, datafile_kind, limits_load

__all__ = ["catalogue_load", "datafile_kind", "limits_load"]
