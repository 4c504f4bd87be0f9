# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PATH_SEPARATOR = "/"


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit):
        """The unit itself and every unit below it."""
        return self.filter(tree_path__startswith=unit.tree_path)

    def subtrees(self, units):
        """Every unit in or below any of `units`."""
        query = models.Q(pk__in=[])
        for unit in units:
            query |= models.Q(tree_path__startswith=unit.tree_path)
        return self.filter(query)


class Unit(models.Model):
    """A part of the organisation: the organisation itself, a department, a team.

    `tree_path` holds the ids from the root down ("/1/4/9/"), so a whole subtree
    is one indexed prefix query instead of a walk.
    """

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    manager = models.ForeignKey(
        "Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_units",
        verbose_name=_("manager"),
    )
    tree_path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["tree_path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_unit_name_per_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True), name="unique_root_unit_name"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        old_path = self.tree_path
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {}
        self.tree_path = self._compute_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.tree_path:
            # Moved: every descendant's path starts with the old prefix.
            for child in Unit.objects.filter(tree_path__startswith=old_path).exclude(pk=self.pk):
                child.tree_path = self.tree_path + child.tree_path[len(old_path) :]
                child.save(update_fields=["tree_path"])

    def _compute_path(self):
        prefix = self.parent.tree_path if self.parent_id else PATH_SEPARATOR
        return f"{prefix}{self.pk}{PATH_SEPARATOR}"

    def ancestor_ids(self):
        """Ids from the root down to and including this unit."""
        return [int(part) for part in self.tree_path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]

    def ancestors(self):
        ids = self.ancestor_ids()
        units = Unit.objects.in_bulk(ids)
        return [units[i] for i in ids if i in units]

    @property
    def full_path(self):
        return PATH_SEPARATOR.join(unit.name for unit in self.ancestors())

    @property
    def depth(self):
        return len(self.ancestor_ids()) - 1


class PersonManager(UserManager):
    pass


class Person(AbstractUser):
    """An employee; every user of the portal is one.

    A manager is not a flag: it is whoever manages a unit (`Unit.manager`).
    """

    first_name = None
    last_name = None
    name = models.CharField(_("name"), max_length=200)
    personnel_number = models.CharField(_("personnel number"), max_length=32, unique=True, null=True, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("unit")
    )
    manager = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        verbose_name=_("manager (if not the unit's manager)"),
        help_text=_("Leave empty to use the manager of the unit."),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    in_service_since = models.PositiveSmallIntegerField(
        _("in service since (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )

    objects = PersonManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        permissions = [("act_as_hr", _("Can import the organisation, run rounds and see all reports"))]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return (self.name or self.username).split(" ")[0]

    def effective_manager(self):
        """The explicit manager, else the manager of the nearest unit up the tree who is not this person."""
        if self.manager_id:
            return self.manager
        if not self.unit_id:
            return None
        ids = list(reversed(self.unit.ancestor_ids()))
        managers = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "manager_id"))
        for unit_id in ids:
            manager_id = managers.get(unit_id)
            if manager_id and manager_id != self.pk:
                return Person.objects.get(pk=manager_id)
        return None


class AccessLogQuerySet(models.QuerySet):
    def about(self, person):
        return self.filter(person=person)

    def between(self, start=None, end=None):
        """Entries on or after the day `start` and on or before the day `end` (local dates)."""
        queryset = self
        if start:
            queryset = queryset.filter(at__date__gte=start)
        if end:
            queryset = queryset.filter(at__date__lte=end)
        return queryset


class AccessLog(models.Model):
    """One access to someone's personal data: who, when, what, whose, from where, allowed or refused.

    Written only through organisation.audit (which chains it: organisation/audit_chain.py) and
    never changed afterwards. Names are copied so the record still reads when a person is
    removed; the ids stay too (no database constraint), because they are part of the hash.
    """

    class Action(models.TextChoices):
        VIEWED_REPORT = "viewed_report", _("viewed a personal report")
        VIEWED_CHART = "viewed_chart", _("viewed a chart of a personal report")
        VIEWED_ASSESSMENT = "viewed_assessment", _("viewed a self-assessment")
        CHANGED_RATING = "changed_rating", _("changed a rating")
        DOWNLOADED_OWN_DATA = "downloaded_own_data", _("downloaded their own data")
        EXPORTED = "exported", _("exported personal data")
        CHANGED_ROLES = "changed_roles", _("changed roles")
        OPENED = "opened", _("opened a page or object")
        LOGGED_IN = "logged_in", _("logged in")
        REFUSALS_NOT_LOGGED = "refusals_not_logged", _("more refused attempts, not logged one by one")

    class Result(models.TextChoices):
        ALLOWED = "allowed", _("allowed")
        REFUSED = "refused", _("refused")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        Person,
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who (name)"), max_length=200)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, default=Result.ALLOWED)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    person = models.ForeignKey(
        Person,
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose data"),
    )
    person_name = models.CharField(_("whose data (name)"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    # The hash chain: each entry's hash covers its content and the hash of the entry before it. An entry
    # written while another request held the chain is pending (no number, empty hashes) until the next
    # writer numbers it (organisation/audit_chain.py).
    sequence = models.PositiveBigIntegerField(_("number in the chain"), unique=True, null=True, blank=True)
    previous_hash = models.CharField(_("hash of the previous entry"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "at"], name="accesslog_person_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.get_action_display()} ({self.person_name})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Access log entries cannot be changed.")
        if not self.hash:
            raise ValueError("Write access log entries through organisation.audit, which chains them.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Access log entries cannot be deleted.")

    @property
    def refused(self):
        return self.result == self.Result.REFUSED


class AccessLogChain(models.Model):
    """The one row that holds the end of the access log's hash chain, and its start after a purge.

    Writers lock this row (SELECT ... FOR UPDATE) while they add entries, so concurrent
    requests append one after the other and the chain never forks. `anchor_*` is the last
    entry the retention purge removed: the first remaining entry must follow on from it.
    """

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    anchor_sequence = models.PositiveBigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("access log chain")
        default_permissions = ()

    def __str__(self):
        return f"access log chain up to {self.last_sequence}"


class AccessLogVerification(models.Model):
    """The outcome of one check of the access log's hash chain (manage.py verify_access_log, nightly)."""

    class Problem(models.TextChoices):
        MISSING = "missing", _("an entry is missing")
        CHANGED = "changed", _("an entry was changed after it was written")
        BROKEN_LINK = "broken_link", _("an entry does not follow on from the one before it")
        END_MISSING = "end_missing", _("the last entries are missing")

    at = models.DateTimeField(_("checked at"), default=timezone.now, db_index=True)
    ok = models.BooleanField(_("chain intact"))
    checked = models.PositiveBigIntegerField(_("entries checked"))
    last_sequence = models.PositiveBigIntegerField(_("last entry checked"))
    last_hash = models.CharField(_("hash of the last entry"), max_length=64, blank=True)
    broken_sequence = models.PositiveBigIntegerField(_("first broken entry"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=16, choices=Problem.choices, blank=True)

    class Meta:
        verbose_name = _("access log check")
        verbose_name_plural = _("access log checks")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'broken'}"


# The fields an organisation import compares and may change (organisation/imports.py), with their labels.
IMPORT_FIELD_LABELS = {
    "name": _("name"),
    "email": _("e-mail"),
    "unit": _("unit"),
    "manager": _("manager"),
    "job_title": _("job title"),
    "birth_year": _("birth year"),
    "in_service_since": _("in service since"),
}


class ImportJob(models.Model):
    """One uploaded organisation file, from upload to import (organisation/import_jobs.py).

    The file is kept here (in the database, so every app server and task worker can read it)
    until it is imported or discarded; then it is removed. Stale jobs are purged nightly.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("being checked")
        REFUSED = "refused", _("refused")
        READY = "ready", _("ready to import")
        IMPORTING = "importing", _("being imported")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    uploaded_by = models.ForeignKey(Person, models.CASCADE, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file"), editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CHECKING)
    checked = models.PositiveIntegerField(_("lines checked"), default=0)
    total = models.PositiveIntegerField(_("lines"), default=0)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    message = models.TextField(_("message"), blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_busy(self):
        return self.status in {self.Status.CHECKING, self.Status.IMPORTING}


class ImportLine(models.Model):
    """One line of a checked file for the preview: an error, a person to add or change, a new unit."""

    class Kind(models.TextChoices):
        ERROR = "error", _("error")
        CREATE = "create", _("to add")
        UPDATE = "update", _("to change")
        UNIT = "unit", _("new unit")

    job = models.ForeignKey(ImportJob, models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    line = models.PositiveIntegerField(default=0)
    personnel_number = models.CharField(max_length=64, blank=True)
    text = models.TextField(blank=True)
    # [[field, old, new], ...] for a person to change.
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["job", "kind", "line"], name="importline_job_kind_line")]
        ordering = ["line", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.line}: {self.personnel_number} {self.text}"

    def change_list(self):
        """The changes as {label, old, new} for the preview."""
        return [{"label": IMPORT_FIELD_LABELS[name], "old": old, "new": new} for name, old, new in self.changes]
