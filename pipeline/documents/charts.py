"""Pictures inside documents: the trajectory timeline and applications per week (Pillow PNG).

Drawn in black, greys and hatching so they stay readable on a black-and-white printer, in
Source Sans Pro from a pinned package (all Dutch diacritics: oriëntatie, coördinatie), so every
machine draws the same pixels and the same input gives the same bytes.
"""

from __future__ import annotations

import functools
import io
import math
from datetime import date

import font_source_sans_pro
from PIL import Image, ImageDraw, ImageFont

from .. import dutch
from .. import model as m
from ..checks.measures import Trajectory, WeekCount

BLACK, WHITE = 0, 255  # grey levels: the pictures are drawn in one channel ("L")
GRID = 200
PHASE_STYLE = {  # fill, hatched
    m.Phase.PERSOONSGERICHT: (215, False),
    m.Phase.ARBEIDSMARKTGERICHT: (WHITE, True),
    m.Phase.WERKGERICHT: (90, False),
    None: (160, False),
}
PHASE_TITLE = {
    m.Phase.PERSOONSGERICHT: "Persoonsgericht",
    m.Phase.ARBEIDSMARKTGERICHT: "Arbeidsmarktgericht",
    m.Phase.WERKGERICHT: "Werkgericht",
    None: "Zonder fase",
}


_FONTS = font_source_sans_pro.font_files_ttf


@functools.cache
def _font(size: int, weight: str = "SourceSansPro") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_FONTS[weight], size=size)


# The pictures hold grey levels only: saved as a palette image of those greys, PNG skips the
# per-row filter search it does for grey-level images, for the same pixels (1.6-1.9x faster).
_GREYS = [level for grey in range(256) for level in (grey, grey, grey)]


def _png(image: Image.Image) -> bytes:
    """Fast compression: these pictures are drawn for every case of a batch."""
    image.putpalette(_GREYS)  # "L" becomes "P" with pixel values unchanged
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1, dpi=(200, 200))
    return buffer.getvalue()


@functools.lru_cache(maxsize=1024)  # a few MB at most: labels are small
def _stamp(text: str, font: ImageFont.FreeTypeFont, anchor: str) -> tuple[Image.Image, int, int] | None:
    """`text` drawn once as a coverage mask, with its offset from the anchor point. Labels repeat
    from case to case (week numbers, months, legends), so each is rasterised once per process."""
    left, top, right, bottom = map(int, font.getbbox(text, anchor=anchor))  # whole pixels for a FreeType font
    if right <= left or bottom <= top:
        return None
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor=anchor)
    return mask, left, top


def _text(image: Image.Image, xy: tuple[float, float], text: str, font: ImageFont.FreeTypeFont,
          anchor: str = "la") -> None:
    """Black text at `xy` (rounded to whole pixels, so that a label always looks the same)."""
    stamp = _stamp(text, font, anchor)
    if stamp is not None:
        mask, left, top = stamp
        image.paste(BLACK, (round(xy[0]) + left, round(xy[1]) + top), mask)


@functools.lru_cache(maxsize=4096)
def _width(text: str, font: ImageFont.FreeTypeFont) -> float:
    return font.getlength(text)


def _hatch(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], spacing: int = 10) -> None:
    """Diagonal lines x + y = c inside `box`, clipped to it."""
    x0, y0, x1, y1 = box
    c = x0 + y0 + spacing
    while c < x1 + y1:
        low, high = max(x0, c - y1), min(x1, c - y0)
        if low <= high:
            draw.line([(low, c - low), (high, c - high)], fill=BLACK, width=2)
        c += spacing


def _dashed(draw: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float],
            dash: int = 14, gap: int = 8, width: int = 3) -> None:
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0)
    if length == 0:
        return
    dx, dy = (x1 - x0) / length, (y1 - y0) / length
    position = 0.0
    while position < length:
        stop = min(position + dash, length)
        draw.line([(x0 + dx * position, y0 + dy * position), (x0 + dx * stop, y0 + dy * stop)], fill=BLACK,
                  width=width)
        position = stop + gap


def _bar(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], fill: int, hatched: bool) -> None:
    draw.rectangle(box, fill=fill, outline=BLACK, width=2)
    if hatched and box[2] - box[0] > 4:
        _hatch(draw, (box[0] + 2, box[1] + 2, box[2] - 2, box[3] - 2))


@functools.lru_cache(maxsize=4096)
def _fit(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    if _width(text, font) <= width:
        return text
    while text and _width(text + "…", font) > width:
        text = text[:-1]
    return text + "…"


def _months(start: date, end: date) -> list[date]:
    months, current = [], date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def timeline_png(trajectory: Trajectory, interventions: tuple[m.Intervention, ...],
                 reports: tuple[m.ReportMoment, ...], marker: date | None = None,
                 marker_label: str = "peildatum") -> bytes:
    """Phases and activities against the months, reporting moments marked (a Gantt chart); a
    dashed line at `marker`, when given. Reports issued are filled triangles, planned ones open."""
    width, label_width, row, margin = 1300, 410, 31, 16
    font, small, bold = _font(20), _font(18), _font(20, "SourceSansProSemibold")
    months = _months(trajectory.chart_start, trajectory.chart_end)
    first = months[0]
    last = date(months[-1].year + months[-1].month // 12, months[-1].month % 12 + 1, 1)
    span = (last - first).days
    plot_left, plot_right = label_width, width - margin

    def x(day: date) -> float:
        return plot_left + (plot_right - plot_left) * (day - first).days / span

    phases = [p for p in (*m.Phase, None) if any(i.phase is p for i in interventions)]
    rows: list[tuple[str, m.Phase | m.Intervention | None]] = [("spoor", None), ("rapportages", None)]
    for phase in phases:
        rows.append(("fase", phase))
        rows.extend(("activiteit", i) for i in interventions if i.phase is phase)
    top = 50
    legend_top = top + row * len(rows) + 20
    height = legend_top + 50
    image = Image.new("L", (width, height), WHITE)
    draw = ImageDraw.Draw(image)

    for month in months:
        left, right = x(month), x(date(month.year + month.month // 12, month.month % 12 + 1, 1))
        draw.line([(left, top - 6), (left, top + row * len(rows))], fill=GRID, width=1)
        label = dutch.month_short(month)
        if _width(label, small) > right - left - 4:
            label = label.split(" ")[0]
        _text(image, ((left + right) / 2, top - 10), label, small, "md")
    draw.line([(plot_right, top - 6), (plot_right, top + row * len(rows))], fill=GRID, width=1)

    for index, (kind, item) in enumerate(rows):
        y0 = top + index * row
        middle = y0 + row / 2
        if kind == "spoor":
            _text(image, (margin, middle), "Tweede spoor", bold, "lm")
            end = trajectory.end or trajectory.chart_end
            _bar(draw, (x(trajectory.start), y0 + 8, x(end), y0 + row - 8), 235, False)
            if trajectory.end is None:
                _dashed(draw, (x(end), y0 + 8), (x(end), y0 + row - 8), dash=4, gap=4)
        elif kind == "rapportages":
            _text(image, (margin, middle), "Rapportagemomenten", bold, "lm")
            for report in reports:
                if first <= report.date < last:
                    cx = x(report.date)
                    triangle = [(cx - 10, y0 + 8), (cx + 10, y0 + 8), (cx, y0 + row - 8)]
                    filled = report.status is m.ReportStatus.UITGEBRACHT
                    draw.polygon(triangle, fill=BLACK if filled else WHITE, outline=BLACK, width=2)
        elif kind == "fase":
            assert not isinstance(item, m.Intervention)
            draw.line([(margin, y0 + 2), (plot_right, y0 + 2)], fill=BLACK, width=1)
            _text(image, (margin, middle + 2), PHASE_TITLE[item], bold, "lm")
        else:
            assert isinstance(item, m.Intervention)
            _text(image, (margin + 16, middle), _fit(item.activity, font, label_width - margin - 30), font, "lm")
            if item.start:
                end = item.end or trajectory.chart_end
                fill, hatched = PHASE_STYLE[item.phase]
                right = max(x(end) + (plot_right - plot_left) / span, x(item.start) + 4)
                _bar(draw, (x(item.start), y0 + 8, min(right, plot_right), y0 + row - 8), fill, hatched)

    marked = marker is not None and first <= marker < last
    if marked:
        assert marker is not None
        _dashed(draw, (x(marker), top - 4), (x(marker), top + row * len(rows)), width=2)

    # Legend
    lx: float = margin
    for phase in phases:
        fill, hatched = PHASE_STYLE[phase]
        _bar(draw, (lx, legend_top + 8, lx + 40, legend_top + 32), fill, hatched)
        _text(image, (lx + 50, legend_top + 20), PHASE_TITLE[phase], small, "lm")
        lx += 90 + _width(PHASE_TITLE[phase], small)
    issued = any(r.status is m.ReportStatus.UITGEBRACHT for r in reports)
    if issued:
        draw.polygon([(lx, legend_top + 10), (lx + 20, legend_top + 10), (lx + 10, legend_top + 30)], fill=BLACK)
        _text(image, (lx + 30, legend_top + 20), "rapportage uitgebracht", small, "lm")
        lx += 60 + _width("rapportage uitgebracht", small)
    planned = "gepland" if issued else "rapportagemoment"
    draw.polygon([(lx, legend_top + 10), (lx + 20, legend_top + 10), (lx + 10, legend_top + 30)], fill=WHITE,
                 outline=BLACK, width=2)
    _text(image, (lx + 30, legend_top + 20), planned, small, "lm")
    lx += 60 + _width(planned, small)
    if marked:  # only a line that is drawn has its place in the legend
        _dashed(draw, (lx, legend_top + 8), (lx, legend_top + 32), width=2)
        _text(image, (lx + 12, legend_top + 20), marker_label, small, "lm")
    return _png(image)


def timeline_description(trajectory: Trajectory, interventions: tuple[m.Intervention, ...],
                         reports: tuple[m.ReportMoment, ...]) -> str:
    """The timeline's alternative text: what it shows, in one Dutch sentence with its numbers."""
    end = f"tot {dutch.date_long(trajectory.end)}" if trajectory.end else "met een einde dat nog niet is bepaald"
    phases = [PHASE_TITLE[p].lower() for p in (*m.Phase, None) if any(i.phase is p for i in interventions)]
    activities = f"{len(interventions)} {'activiteit' if len(interventions) == 1 else 'activiteiten'}"
    in_phases = f" in de {'fase' if len(phases) == 1 else 'fasen'} {dutch.enumeration(phases)}" if phases else ""
    moments = f"{len(reports)} {'rapportagemoment' if len(reports) == 1 else 'rapportagemomenten'}"
    return (f"Tijdlijn van het tweede spoor, van {dutch.date_long(trajectory.start)} {end}: {activities}{in_phases} "
            f"als balken tegen de maanden, en {moments} als driehoekjes.")


def applications_description(weeks: tuple[WeekCount, ...], agreed: int) -> str:
    """The applications chart's alternative text: what it shows, with its numbers."""
    if not weeks:
        return f"Staafdiagram van de sollicitaties per week, zonder weken om te tonen; afspraak: {agreed} per week."
    counted = [w for w in weeks if w.counted]  # as the overview counts them
    met = sum(1 for w in counted if w.met)
    return (f"Staafdiagram van het aantal sollicitaties per Poortwachter-week, van week {weeks[0].week} tot en met "
            f"week {weeks[-1].week}, met de afspraak van {agreed} per week als stippellijn. De afspraak is gehaald "
            f"in {met} van de {len(counted)} weken; het hoogste aantal in één week is {max(w.count for w in weeks)}.")


def applications_png(weeks: tuple[WeekCount, ...], agreed: int) -> bytes:
    """Bars of applications per Poortwachter week; the agreed number as a dashed line.

    A week that met the agreement is a dark bar; a week below it a hatched white bar, so the
    difference survives black-and-white printing.
    """
    k = 0.75  # drawn at 180 dpi for its 250 mm: sharp on paper, and a batch draws one per case
    width, height = int(2400 * k), int(820 * k)
    left, right, top, bottom = 110 * k, width - 40 * k, 40 * k, height - 150 * k
    font, small = _font(int(32 * k)), _font(int(28 * k))
    image = Image.new("L", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    highest = max([w.count for w in weeks] + [agreed]) + 1
    step = max(1, math.ceil(highest / 8))

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / highest

    for tick in range(0, highest + 1, step):
        draw.line([(left, y(tick)), (right, y(tick))], fill=GRID, width=1)
        _text(image, (left - 14 * k, y(tick)), str(tick), small, "rm")
    slot = (right - left) / max(len(weeks), 1)
    label_every = max(1, math.ceil(len(weeks) / 24))
    for index, week in enumerate(weeks):
        x0 = left + index * slot + slot * 0.15
        x1 = left + (index + 1) * slot - slot * 0.15
        if week.count:
            _bar(draw, (x0, y(week.count), x1, bottom), 70 if week.met else WHITE, not week.met)
        elif not week.met:
            _text(image, ((x0 + x1) / 2, bottom - 4 * k), "0", small, "md")
        if index % label_every == 0:
            _text(image, ((x0 + x1) / 2, bottom + 12 * k), str(week.week), small, "mt")
    draw.line([(left, bottom), (right, bottom)], fill=BLACK, width=2)
    draw.line([(left, top), (left, bottom)], fill=BLACK, width=2)
    _dashed(draw, (left, y(agreed)), (right, y(agreed)), width=3)
    _text(image, ((left + right) / 2, bottom + 52 * k), "Poortwachter-week", font, "mt")
    # Legend
    ly = height - 44 * k
    _bar(draw, (left, ly - 14 * k, left + 40 * k, ly + 14 * k), 70, False)
    _text(image, (left + 52 * k, ly), "afspraak gehaald", small, "lm")
    lx = left + 90 * k + _width("afspraak gehaald", small)
    _bar(draw, (lx, ly - 14 * k, lx + 40 * k, ly + 14 * k), WHITE, True)
    _text(image, (lx + 52 * k, ly), "minder dan afgesproken", small, "lm")
    lx += 90 * k + _width("minder dan afgesproken", small)
    _dashed(draw, (lx, ly), (lx + 60 * k, ly), width=3)
    _text(image, (lx + 72 * k, ly), f"afspraak: {agreed} per week", small, "lm")
    return _png(image)
