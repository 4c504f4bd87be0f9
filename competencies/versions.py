# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Versions of a framework: a version used in a round never changes again; edits go to a new version.

A new version is a new CASE document, so every row in it gets a new identifier (uuid4); the slug and the
competency codes stay, and `predecessor` points back. Only the newest version of a framework can be edited.
"""

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

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


def _copy(old):
    """Copy `old` into the next version; returns the EditTarget with the row mapping."""
    old.freeze()  # only the newest version can change, so the one before it is closed for good
    latest = Framework.objects.filter(slug=old.slug).aggregate(latest=Max("version"))["latest"]
    copy = Framework.objects.create(
        **_copied_fields(old), identifier=uuid.uuid4(), version=latest + 1, predecessor=old, frozen_at=None
    )
    competencies = list(old.competencies.order_by("position", "code").prefetch_related("levels"))
    new_competencies = Competency.objects.bulk_create(
        [Competency(**_copied_fields(c), framework=copy, identifier=uuid.uuid4()) for c in competencies]
    )
    pairs = [
        (level, LevelDescription(**_copied_fields(level), competency=new, identifier=uuid.uuid4()))
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
