from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    """The five EPCIS 2.0 event types."""

    OBJECT = "ObjectEvent", _("Object event")
    AGGREGATION = "AggregationEvent", _("Aggregation event")
    TRANSFORMATION = "TransformationEvent", _("Transformation event")
    TRANSACTION = "TransactionEvent", _("Transaction event")
    ASSOCIATION = "AssociationEvent", _("Association event")


class Action(models.TextChoices):
    ADD = "ADD", _("Add")
    OBSERVE = "OBSERVE", _("Observe")
    DELETE = "DELETE", _("Delete")


class ItemRole(models.TextChoices):
    """How an object takes part in an event (the "what" of EPCIS)."""

    EPC = "epc", _("Object")
    PARENT = "parent", _("Parent (container)")
    CHILD = "child", _("Child (contents)")
    INPUT = "input", _("Input")
    OUTPUT = "output", _("Output")
    CONTAINED = "contained", _("Inside a container")


class LocationKind(models.TextChoices):
    SITE = "site", _("A business's site on the platform")
    PARTY = "party", _("An outside party or place")


# The CBV business steps a food supply chain uses most, by name (CBV 2.0 §7.2); others show as given.
BIZ_STEP_LABELS = {
    "commissioning": _("Produced (commissioning)"),
    "receiving": _("Received"),
    "accepting": _("Accepted"),
    "arriving": _("Arrived"),
    "shipping": _("Shipped"),
    "departing": _("Departed"),
    "packing": _("Packed"),
    "unpacking": _("Unpacked"),
    "repackaging": _("Re-packed"),
    "storing": _("Stored"),
    "inspecting": _("Inspected"),
    "holding": _("Held"),
    "retail_selling": _("Sold"),
    "destroying": _("Destroyed"),
    "decommissioning": _("Decommissioned"),
    "transporting": _("Transported"),
}


class ControlKind(models.TextChoices):
    CONTROL = "control", _("Control order (管控)")
    RECALL = "recall", _("Recall (召回)")


class ControlSource(models.TextChoices):
    """Why the lots are suspect."""

    FAILED_SAMPLE = "failed_sample", _("A failed sample")
    OUTSIDE_ALERT = "outside_alert", _("An alert from elsewhere (another region, customs, RASFF …)")
    FINDING = "finding", _("An inspector's finding")
    PRODUCER = "producer", _("The producer's own recall")


class ControlStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("control order", "Open")
    CLOSED = "closed", pgettext_lazy("control order", "Closed")


class HolderStatus(models.TextChoices):
    NOTIFIED = "notified", _("Notified, not acknowledged")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REPORTED = "reported", _("Reported")


class DocumentLevel(models.TextChoices):
    """What a paper is kept for."""

    LOT = "lot", _("Each lot (kept with the lot for every buyer)")
    RECEIPT = "receipt", _("Each delivery")
    SUPPLIER = "supplier", _("The supplier (kept in the supplier register)")


class ReceiptStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
