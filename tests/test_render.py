"""Templates print what they show escaped as plain strings (render.escape_text), with the
same output as Jinja's own code generator."""

from __future__ import annotations

import jinja2
import markupsafe
import pytest

from generator.render.environment import _Environment, escape_text


class Shown:
    """An object that says how it is shown in HTML."""

    def __html__(self) -> str:
        return "<em>shown</em>"


VALUES = ["<a href='x'>&\"", "plain", "", "Kočiský <b>", markupsafe.Markup("<b>safe</b>"),
          3, 2.5, True, None, Shown(), ("a", "<")]


@pytest.mark.parametrize("value", VALUES)
def test_a_printed_value_is_escaped_as_markupsafe_escapes_it_as_a_plain_string(value):
    assert escape_text(value) == str(markupsafe.escape(value))
    assert type(escape_text(value)) is str


TEMPLATE = """\
{{ x }} {{ n }} {{ safe }} {{ shown }} {{ x | e }} {{ x | safe }} {{ [x, x] | join(", ") }}
{% set block %}<i>{{ x }}</i>{% endset %}{{ block }} {{ block | length }}
{% macro card(text) %}<p>{{ text }}</p>{% endmacro %}{{ card(x) }}{{ card(safe) }}
{% autoescape false %}{{ x }}{% endautoescape %} {% autoescape true %}{{ x }}{% endautoescape %}
{% for item in [x, safe, n] %}{{ item }}{% if not loop.last %}|{% endif %}{% endfor %}
"""


def test_a_template_prints_the_same_as_with_jinjas_own_code_generator():
    context = {"x": "<a href='x'>&\"", "n": 42, "safe": markupsafe.Markup("<b>ok</b>"),
               "shown": Shown()}
    settings = {"loader": jinja2.DictLoader({"t.html": TEMPLATE}), "autoescape": True,
                "undefined": jinja2.StrictUndefined}
    ours = _Environment(**settings).get_template("t.html")
    theirs = jinja2.Environment(**settings).get_template("t.html")
    assert ours.render(context) == theirs.render(context)
    assert "&lt;a href=&#39;x&#39;&gt;" in ours.render(context)


def test_printing_an_undefined_name_is_still_an_error():
    env = _Environment(loader=jinja2.DictLoader({"t.html": "{{ missing }}"}),
                       autoescape=True, undefined=jinja2.StrictUndefined)
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("t.html").render()


def test_templates_print_through_escape_text():
    env = _Environment(autoescape=True)
    assert "environment.escape_text(" in env.compile("{{ x }}", raw=True)
    plain = _Environment(autoescape=False)
    assert "environment.escape_text(" not in plain.compile("{{ x }}", raw=True)
