"""The impact report's charts as geometry: the page draws it in SVG, the PDF with fpdf's lines
and rectangles, from the same numbers. No JavaScript, no library."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 12, 26
# Colours that read on white and apart from one another (also in print).
COLOURS = ("#1d4f91", "#c2410c", "#15803d", "#7e22ce")


def nice_step(value: int, most: int = 5) -> int:
    """A round step (1, 2 or 5 times a power of ten) that reaches `value` in `most` steps."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * most >= value:
                return step * factor
        step *= 10


@dataclass
class Tick:
    y: float
    value: int


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass
class Line:
    name: str
    colour: str
    points: list[tuple[float, float, int]] = field(default_factory=list)

    @property
    def svg_points(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _value in self.points)


@dataclass
class Chart:
    title: str
    labels: list[tuple[float, str]]
    ticks: list[Tick]
    bars: list[Bar] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    font_size: int = 11  # small multiples are drawn smaller: their text is larger
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def _scale(top_value: int):
    plot = HEIGHT - BOTTOM - TOP
    step = nice_step(top_value)
    count = max(1, -(-top_value // step))
    ceiling = step * count
    ticks = [Tick(HEIGHT - BOTTOM - plot * i / count, step * i) for i in range(count + 1)]
    return (lambda value: HEIGHT - BOTTOM - plot * value / ceiling), ticks


def _slots(count: int) -> tuple[float, list[float]]:
    slot = (WIDTH - LEFT - RIGHT) / max(1, count)
    return slot, [LEFT + slot * i for i in range(count)]


def bar_chart(title: str, series: list[tuple[str, int]]) -> Chart:
    y_of, ticks = _scale(max((value for _label, value in series), default=0))
    slot, starts = _slots(len(series))
    width = slot * 0.6
    bars = []
    for (label, value), start in zip(series, starts, strict=True):
        top = y_of(value)
        height = HEIGHT - BOTTOM - top
        bars.append(Bar(start + (slot - width) / 2, top, width, height, label, value))
    labels = [(bar.centre, bar.label) for bar in bars]
    return Chart(title, labels, ticks, bars=bars, font_size=15)


def line_chart(title: str, series: dict[str, list[tuple[str, int]]]) -> Chart:
    """Several figures over the same years, one line each."""
    values = [value for points in series.values() for _label, value in points]
    y_of, ticks = _scale(max(values, default=0))
    first = next(iter(series.values()), [])
    slot, starts = _slots(len(first))
    labels = [
        (start + slot / 2, label) for start, (label, _value) in zip(starts, first, strict=True)
    ]
    lines = []
    for index, (name, points) in enumerate(series.items()):
        line = Line(name, COLOURS[index % len(COLOURS)])
        for (x, _label), (_l, value) in zip(labels, points, strict=True):
            line.points.append((x, y_of(value), value))
        lines.append(line)
    return Chart(title, labels, ticks, lines=lines)


def report_charts(report, figures) -> dict:
    """The participation's bars, one chart per figure, and the audience's lines."""
    names = dict(figures)
    participation = [
        bar_chart(str(names[name]), report.series(name))
        for name in ("entries", "schools", "pupils", "companies", "trades", "jurors", "votes")
    ]
    audience = line_chart(
        _("Audience des films sur le site"),
        {str(names[name]): report.series(name) for name in ("views", "plays", "visitors")},
    )
    return {"participation": participation, "audience": audience}
