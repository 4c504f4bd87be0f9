# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Versions of a framework: a version used in a round never changes again; edits go to a new version.

The one entry point for making and changing framework versions: the app's own-framework pages and the admin
(`prepare_edit`), the fixture loader and the CASE import (`save_framework_data`, `save_next_version`) and the
rounds (`freeze_for_round`) all come here.

A new version is a new CASE document, so every row in it gets a new identifier; the slug and the competency
codes stay, and `predecessor` points back. Only the newest version of a framework can be edited. Edits get
random identifiers (uuid4); a version loaded from a file gets identifiers derived from the file's (uuid5), so
every installation gives version 2 of a source framework the same identifiers.
"""

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from .loading import (
    FrameworkDataError,
    framework_fields,
    validate_framework_data,
    version_number,
    write_framework_data,
)
from .models import Competency, Framework, LevelDescription

# Rows that belong to one version only and are never copied.
_NOT_COPIED = {"id", "identifier", "predecessor", "frozen_at", "updated_at", "version", "framework", "competency"}


class StaleVersionError(Exception):
    """The edit was made on a version that already has a newer version; nothing was saved."""

    def __init__(self, framework):
        self.framework = framework
        self.newest = newest_version(framework)
        super().__init__(
            _(
                "Version %(old)s of this framework is no longer the newest: there is version %(new)s. "
                "Your changes were not saved. Make them in version %(new)s."
            )
            % {"old": framework.version, "new": self.newest.version}
        )


def newest_version(framework):
    """The newest version with the same slug (the framework itself when nothing is newer)."""
    return Framework.objects.filter(slug=framework.slug).order_by("-version").first() or framework


def _copied_fields(instance):
    return {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.name not in _NOT_COPIED
    }


@dataclass
class EditTarget:
    """Where an edit of a framework goes, and which row in it stands for which row of the edited version."""

    framework: Framework
    is_new_version: bool = False
    competencies: dict = field(default_factory=dict)  # pk in the edited version -> Competency in `framework`
    levels: dict = field(default_factory=dict)  # pk in the edited version -> LevelDescription in `framework`


def _locked(framework):
    """The framework row, locked until the end of the transaction, so two edits cannot both branch it."""
    locked = Framework.objects.select_for_update().get(pk=framework.pk)
    if Framework.objects.filter(predecessor=locked).exists():
        raise StaleVersionError(locked)
    return locked


def _random_identifier(_parent, _name):
    return uuid.uuid4()


def derived_identifier(parent, name):
    """The identifier of a row in a version loaded from a file: the same on every installation."""
    return uuid.uuid5(uuid.UUID(str(parent)), name)


def _copy(old, identify=_random_identifier):
    """Copy `old` into the next version; returns the EditTarget with the row mapping.

    `identify(parent identifier, name)` gives each new row its identifier.
    """
    old.freeze()  # only the newest version can change, so the one before it is closed for good
    latest = Framework.objects.filter(slug=old.slug).aggregate(latest=Max("version"))["latest"]
    identifier = identify(old.identifier, f"version-{latest + 1}")
    copy = Framework.objects.create(
        **_copied_fields(old), identifier=identifier, version=latest + 1, predecessor=old, frozen_at=None
    )
    competencies = list(old.competencies.order_by("position", "code").prefetch_related("levels"))
    new_competencies = Competency.objects.bulk_create(
        [
            Competency(**_copied_fields(c), framework=copy, identifier=identify(identifier, c.code))
            for c in competencies
        ]
    )
    pairs = [
        (
            level,
            LevelDescription(
                **_copied_fields(level), competency=new, identifier=identify(new.identifier, str(level.level))
            ),
        )
        for old_competency, new in zip(competencies, new_competencies, strict=True)
        for level in old_competency.levels.all()
    ]
    LevelDescription.objects.bulk_create([new for _old, new in pairs])
    return EditTarget(
        framework=copy,
        is_new_version=True,
        competencies={old_c.pk: new_c for old_c, new_c in zip(competencies, new_competencies, strict=True)},
        levels={old_level.pk: new_level for old_level, new_level in pairs},
    )


@transaction.atomic
def new_version(framework):
    """Copy `framework` with all its competencies and level texts into the next version, and return the copy.

    The old version stays as it is (frozen, if it was not yet) for the reports that used it.
    Raises StaleVersionError when the framework already has a newer version.
    """
    return _copy(_locked(framework)).framework


@transaction.atomic
def prepare_edit(framework):
    """Decide where an edit of `framework` goes: the framework itself while it is not frozen, else a new version.

    Call inside the transaction that saves the edit. Raises StaleVersionError when a newer version exists,
    so an edit made on an old page is refused instead of silently branching history.
    """
    locked = _locked(framework)
    if not locked.is_frozen:
        return EditTarget(framework=locked)
    return _copy(locked)


def retarget_framework(instance, target):
    """Point an edited (unsaved) framework instance at the version the edit goes to."""
    if target.is_new_version:
        new = target.framework
        instance.pk = new.pk
        instance.identifier = new.identifier
        instance.version = new.version
        instance.predecessor = new.predecessor
        instance.frozen_at = None


def retarget_competency(instance, target):
    """Point an edited (unsaved) competency at its copy in the new version; new competencies just move along."""
    if not target.is_new_version:
        return
    copy = target.competencies.get(instance.pk)
    if copy is not None:
        instance.pk = copy.pk
        instance.identifier = copy.identifier
    instance.framework = target.framework


def retarget_level(instance, target, competency):
    """Point an edited (unsaved) level description at its copy in the new version."""
    if not target.is_new_version:
        return
    copy = target.levels.get(instance.pk)
    if copy is not None:
        instance.pk = copy.pk
        instance.identifier = copy.identifier
    instance.competency = competency


def freeze_for_round(frameworks):
    """A round starts using these versions: from now on an edit of any of them makes a new version."""
    for framework in frameworks:
        framework.freeze()


def _state(framework):
    """Everything a load can change in a version, to tell "updated" from "unchanged"."""
    fields = [f.attname for f in Framework._meta.concrete_fields if f.attname not in {"updated_at"}]
    return (
        [getattr(framework, name) for name in fields],
        list(framework.competencies.order_by("pk").values()),
        list(LevelDescription.objects.filter(competency__framework=framework).order_by("pk").values()),
    )


def _apply(framework, data, *, is_own, identify=None):
    """Write `data` into the (not frozen) version `framework`; True when anything changed."""
    before = _state(framework)
    for name, value in framework_fields(data, is_own=is_own).items():
        setattr(framework, name, value)
    write_framework_data(framework, data, identify=identify)
    if _state(framework) == before:
        return False
    framework.save()
    return True


@transaction.atomic
def save_framework_data(data, *, is_own=False, standard=False):
    """Create the framework the data describes, or update it in place while it is not frozen.

    Returns (framework, action) with action "created", "updated", "unchanged" or "frozen". A frozen version
    (used in a round) is left alone: its texts are what people rated against. Raises FrameworkDataError.
    """
    errors = validate_framework_data(data, standard=standard)
    if errors:
        raise FrameworkDataError(errors)
    framework = Framework.objects.select_for_update().filter(identifier=data["identifier"]).first()
    if framework and framework.is_frozen:
        return framework, "frozen"
    if framework is None:
        framework = Framework.objects.create(
            identifier=data["identifier"],
            version=version_number(data.get("version")),
            **framework_fields(data, is_own=is_own),
        )
        write_framework_data(framework, data)
        return framework, "created"
    changed = _apply(framework, data, is_own=is_own)
    return framework, "updated" if changed else "unchanged"


@transaction.atomic
def save_next_version(data, *, standard=True):
    """Make the data (version n of a framework whose earlier version is loaded) that framework's version n.

    The data carries the identifiers of the framework's first version, as our fixture files do; version n gets
    identifiers derived from them. Safe to repeat: a second run updates version n while it is not frozen and
    leaves it alone once it is. The earlier version is frozen and never changes. Returns (framework, action).
    """
    errors = validate_framework_data(data, standard=standard)
    number = version_number(data.get("version"))
    if number < 2:
        errors.append(
            _("%(slug)s: version %(number)s is not a next version.") % {"slug": data.get("slug"), "number": number}
        )
    if errors:
        raise FrameworkDataError(errors)
    identifier = derived_identifier(data["identifier"], f"version-{number}")
    framework = Framework.objects.select_for_update().filter(identifier=identifier).first()
    if framework is None:
        newest = Framework.objects.select_for_update().filter(slug=data["slug"]).order_by("-version").first()
        if newest is None or newest.version != number - 1:
            raise FrameworkDataError(
                [
                    _(
                        "%(slug)s: version %(number)s needs version %(previous)s as the newest version; "
                        "found %(found)s."
                    )
                    % {
                        "slug": data["slug"],
                        "number": number,
                        "previous": number - 1,
                        "found": newest.version if newest else _("none"),
                    }
                ]
            )
        framework = _copy(newest, _derived_for(data["identifier"])).framework
        _apply(framework, data, is_own=framework.is_own, identify=_derived_for(data["identifier"]))
        return framework, "created"
    if framework.is_frozen:
        return framework, "frozen"
    changed = _apply(framework, data, is_own=framework.is_own, identify=_derived_for(data["identifier"]))
    return framework, "updated" if changed else "unchanged"


def _derived_for(first_identifier):
    """Identifiers for a loaded version: the framework's from the file's identifier, the rest from their parents."""

    def identify(parent, name):
        if name.startswith("version-"):
            return derived_identifier(first_identifier, name)
        return derived_identifier(parent, name)

    return identify
