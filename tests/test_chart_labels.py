"""A chart's category labels: a name is drawn whole where it fits ("Journal articles" at
every width, in every shipped language's kind names), cut with "…" only when longer than
half the chart, and the width reckoned for a label is never less than Chromium draws."""

from __future__ import annotations

from generator.i18n import translations
from generator.model.charts import bar_chart, text_width
from generator.worktypes import WORK_TYPES

from .conftest import REPO

#: Every kind's heading in English and in each shipped translation.
NAMES = sorted({words.gettext(kind.plural) for words in (translations("en"), *map(
    translations, ("de", "es", "ar"))) for kind in WORK_TYPES.values()})


def test_kind_names_are_drawn_whole():
    for name in ("Journal articles", "Conference papers", "Zeitschriftenartikel"):
        chart = bar_chart("categories", "Papers per category", [(name, 29), ("Preprints", 4)])
        assert [bar.text for bar in chart.bars] == [name, "Preprints"]
        assert text_width(name) + 8 <= chart.label_width <= chart.width / 2


def test_a_label_is_reckoned_no_narrower_than_chromium_draws_it(browser):
    labels = [*NAMES, "Other", "MMWW mmww", "Computer Vision", "0123456789", "Machine Learning"]
    css = (REPO / "themes" / "scholar" / "static" / "style.css").read_text(encoding="utf-8")
    texts = "".join(f'<text x="0" y="{20 * (i + 1)}">{label}</text>'
                    for i, label in enumerate(labels))
    page = browser.new_page(viewport={"width": 320, "height": 600})
    try:
        page.set_content(f'<html lang="en"><style>{css}</style><figure class="chart"><svg '
                         f'viewBox="0 0 320 {20 * len(labels) + 20}" style="width: 320px">'
                         f"{texts}</svg></figure></html>")
        drawn = page.evaluate("() => [...document.querySelectorAll('text')]"
                              ".map(text => text.getComputedTextLength())")
    finally:
        page.close()
    wider = [(label, round(width, 1), round(text_width(label), 1))
             for label, width in zip(labels, drawn, strict=True) if width > text_width(label)]
    assert wider == []
