# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Charts of current versus desired level, drawn with matplotlib (Agg, SVG) from the numbers of the reports.

The same colours everywhere in the portal, safe for colour-blind readers
(Okabe-Ito): current level blue with a solid line and round markers, desired
level orange with a dashed line and square markers, so colour is never the only
cue. A radar chart from five competencies up, bars below that.

Drawing a 40-axis radar costs about 0.15 s, so every chart is cached. The key
holds the report, the round, the language and a digest of the numbers and labels
the chart is drawn from: when the data change, the key changes and the chart is
drawn again; nothing has to be invalidated by hand.
"""

import functools
import hashlib
import io
import json
import math
import textwrap

from django.core.cache import cache
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from competencies.models import SCALE_MAX, SCALE_MIN

CURRENT_COLOUR = "#0072B2"  # Okabe-Ito blue
DESIRED_COLOUR = "#E69F00"  # Okabe-Ito orange
EDGE_COLOUR = "#212529"
RADAR_FROM = 5  # competencies; fewer get bars
CACHE_SECONDS = 7 * 24 * 3600
STYLE_VERSION = 1  # bump when the drawing changes, so cached charts are redrawn


@functools.cache
def _figure_class():
    """matplotlib, configured once and loaded only when a chart is drawn (it costs ~40 MB per process)."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: smaller files, readable by search and zoom
            "svg.hashsalt": "vakmanschap",  # the same data gives the same file
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "text.color": "#212529",
            "axes.labelcolor": "#212529",
            "xtick.color": "#212529",
            "ytick.color": "#212529",
        }
    )
    from matplotlib.figure import Figure

    return Figure


def series():
    """Name, colour, line style and marker of the two series, for the chart and its legend."""
    return [
        ("current", _("Current level"), CURRENT_COLOUR, "-", "o"),
        ("desired", _("Desired level"), DESIRED_COLOUR, "--", "s"),
    ]


def kind_of(data):
    return "radar" if len(data["labels"]) >= RADAR_FROM else "bars"


def _wrap(label, width):
    return "\n".join(textwrap.wrap(label, width)[:3]) or label


def _to_svg(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return buffer.getvalue()


def draw_radar(data):
    count = len(data["labels"])
    size = 6.5 if count <= 12 else 8.5
    figure = _figure_class()(figsize=(size, size))
    axes = figure.add_subplot(projection="polar")
    angles = [2 * math.pi * i / count for i in range(count)]
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    axes.set_ylim(0, SCALE_MAX)
    axes.set_yticks(range(SCALE_MIN, SCALE_MAX + 1))
    axes.set_yticklabels([str(level) for level in range(SCALE_MIN, SCALE_MAX + 1)], color="#495057")
    axes.set_xticks(angles)
    axes.set_xticklabels(
        [_wrap(label, 18 if count <= 12 else 14) for label in data["labels"]], fontsize=9 if count <= 12 else 7
    )
    axes.tick_params(axis="x", pad=12)
    axes.grid(color="#adb5bd", linewidth=0.6)
    for key, name, colour, style, marker in series():
        values = list(data[key])
        axes.plot(
            angles + angles[:1],
            values + values[:1],
            color=colour,
            linestyle=style,
            linewidth=2.2,
            marker=marker,
            markersize=6,
            label=name,
        )
        axes.fill(angles + angles[:1], values + values[:1], color=colour, alpha=0.08)
    figure.legend(loc="lower center", ncols=2, frameon=False, bbox_to_anchor=(0.5, -0.02))
    return _to_svg(figure)


def draw_bars(data):
    count = len(data["labels"])
    figure = _figure_class()(figsize=(7.5, 1.2 + 0.8 * count))
    axes = figure.add_subplot()
    height = 0.38
    positions = list(range(count))
    for offset, (key, name, colour, _style, _marker), hatch in zip(
        (-height / 2, height / 2), series(), ("", "//"), strict=True
    ):
        axes.barh(
            [p + offset for p in positions],
            data[key],
            height=height,
            color=colour,
            edgecolor=EDGE_COLOUR,
            hatch=hatch,
            label=name,
        )
    axes.set_yticks(positions)
    axes.set_yticklabels([_wrap(label, 30) for label in data["labels"]])
    axes.invert_yaxis()
    axes.set_xlim(0, SCALE_MAX)
    axes.set_xticks(range(SCALE_MIN, SCALE_MAX + 1))
    axes.set_xlabel(_("Level (1 to 5)"))
    axes.grid(axis="x", color="#adb5bd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / max(count, 1)), ncols=2, frameon=False)
    return _to_svg(figure)


def draw(data):
    return draw_radar(data) if kind_of(data) == "radar" else draw_bars(data)


def cache_key(report, parts, data):
    """Key of one chart: report kind, its objects and round, the language, and a digest of the data."""
    language = get_language() or "nl"
    digest = hashlib.sha256(
        json.dumps({"data": data, "style": STYLE_VERSION}, sort_keys=True, default=str).encode()
    ).hexdigest()[:32]
    return f"reports:chart:{report}:{'-'.join(str(part) for part in parts)}:{language}:{digest}", digest


def chart_svg(report, parts, data):
    """The SVG for `data`, from the cache when these numbers were drawn before. Returns (svg bytes, digest)."""
    key, digest = cache_key(report, parts, data)
    svg = cache.get(key)
    if svg is None:
        svg = draw(data)
        cache.set(key, svg, CACHE_SECONDS)
    return svg, digest


def describe(data, subject):
    """The text alternative: what the chart shows, how to tell the series apart, and where the numbers are."""
    count = len(data["labels"])
    values = {"subject": subject, "count": count}
    if kind_of(data) == "radar":
        text = ngettext(
            "Radar chart of %(subject)s: current level (blue, solid line, circles) and desired level "
            "(orange, dashed line, squares) for %(count)s competency, on a scale of 1 to 5.",
            "Radar chart of %(subject)s: current level (blue, solid line, circles) and desired level "
            "(orange, dashed line, squares) for %(count)s competencies, on a scale of 1 to 5.",
            count,
        )
    else:
        text = ngettext(
            "Bar chart of %(subject)s: current level (blue, plain bar) and desired level (orange, hatched bar) "
            "for %(count)s competency, on a scale of 1 to 5.",
            "Bar chart of %(subject)s: current level (blue, plain bar) and desired level (orange, hatched bar) "
            "for %(count)s competencies, on a scale of 1 to 5.",
            count,
        )
    return " ".join([text % values, _("The table below gives the same numbers.")])
