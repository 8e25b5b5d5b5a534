"""A template from someone else sees the brief as data: fields, never model methods.

Pydantic models carry methods that unpickle (``parse_raw(..., allow_pickle=True)``),
read files (``parse_file``) or expose the model's machinery (``model_*``, ``copy``,
``json``, ``dict``, ``schema``).  Every such reach is a located template error, fast,
and leaves no trace; the data itself stays readable.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from briefgen.compose.render import (
    ComposeOptions,
    TemplateError,
    compose,
    render_markup,
    template_environment,
)
from briefgen.models.brief import Brief
from briefgen.validation import load_brief
from tests.conftest import SAMPLE, user_layout

_PICKLE = "cos\\nsystem\\n(S'touch {marker}'\\ntR."


@pytest.fixture(scope="module")
def brief() -> Brief:
    return load_brief(SAMPLE)


def _compose(brief: Brief, folder: Path, body: str) -> str:
    """Compose with a user template whose agenda block is ``body``; the markup of the
    document's text, or a TemplateError."""
    user_layout(folder, "agenda", body)
    compose(brief, ComposeOptions(template=str(folder)))  # the whole pipeline accepts it
    environment = template_environment(str(folder))
    return render_markup(environment, brief, dt.datetime(2024, 10, 17, tzinfo=dt.UTC))


_REACHES = [
    "brief.parse_raw('{}')",
    "brief.parse_file('/etc/passwd')",
    "brief.parse_obj({})",
    "brief.model_validate({})",
    "brief.model_validate_json('{}')",
    "brief.model_dump()",
    "brief.model_dump_json()",
    "brief.model_copy()",
    "brief.model_fields",
    "brief.model_config",
    "brief.model_construct()",
    "brief.model_json_schema()",
    "brief.copy()",
    "brief.json()",
    "brief.dict()",
    "brief.schema()",
    "brief.schema_json()",
    "brief.construct()",
    "brief.from_orm(brief)",
    "brief.validate({})",
    "brief.update_forward_refs()",
    "brief.__class__",
    "brief.__dict__",
    "brief.__fields__",
    "brief.__pydantic_fields__",
    "brief.__reduce_ex__(2)",
    "meta.model_dump()",
    "meta.copy(update={'title': 'x'})",
    "meta.date.replace(year=1)",
    "meta.date.strftime('%Y')",
    "meta.date.__class__",
    "brief.summary[0].model_dump_json()",
    "brief.summary[0].sources[0].model_copy()",
    "(brief.sources | first).parse_file('/etc/hostname')",
    "brief | attr('parse_file')",
    "brief['parse_raw']",
    "brief['model_dump']()",
    "brief.risks[0].model_fields_set",
    "brief.risks[0].model_extra",
    "lipsum(3)",
    "'x' | random",
    "brief | pprint",
    "brief.summary | tojson",
    "'a b' | urlize",
    "{'a': 1} | xmlattr",
    "range.__self__",
    "heat_grid.__globals__",
    "namespace.__init__",
    "cycler.__class__.__subclasses__()",
    "brief.meta.__class__.__mro__",
]


@pytest.mark.parametrize("expression", _REACHES)
def test_model_methods_and_internals_are_out_of_reach(
    brief: Brief, tmp_path: Path, expression: str
) -> None:
    started = time.perf_counter()
    with pytest.raises(TemplateError) as caught:
        _compose(brief, tmp_path / "t", f"<p>{{{{ {expression} }}}}</p>")
    assert time.perf_counter() - started < 2
    message = str(caught.value)
    assert message.startswith("template error ("), message
    assert "root:" not in message  # nothing of a file it tried to read


def test_the_pickle_payload_runs_nothing(brief: Brief, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    payload = _PICKLE.format(marker=marker)
    expression = (
        f"brief.parse_raw(\"{payload}\", content_type='application/pickle', allow_pickle=True)"
    )
    with pytest.raises(TemplateError, match="template error"):
        _compose(brief, tmp_path / "t", f"<p>{{{{ {expression} }}}}</p>")
    assert not marker.exists()


def _readable(brief: Brief) -> list[tuple[str, str]]:
    principals = sum(1 for person in brief.participants if person.role == "principal")
    return [
        ("<p>score={{ brief.risks[0].score }}</p>", f"score={brief.risks[0].score}"),
        ("<p>y={{ meta.date.year }}/{{ meta.date.month }}</p>", f"y={brief.meta.date.year}/"),
        ("<p>iso={{ meta.date.isoformat() }}</p>", f"iso={brief.meta.date.isoformat()}"),
        (
            "<p>n={{ brief.summary | map(attribute='text') | list | length }}</p>",
            f"n={len(brief.summary)}",
        ),
        ("<p>{% for k, v in status_tones.items() %}{{ k }},{% endfor %}</p>", "completed,"),
        ("<p>up={{ meta.version.upper() }}</p>", f"up={(brief.meta.version or '').upper()}"),
        (
            "<p>p={{ brief.participants | selectattr('role', 'eq', 'principal') | list"
            " | length }}</p>",
            f"p={principals}",
        ),
        ("{% set ns = namespace(n=2) %}<p>ns={{ ns.n }}{{ dict(a=1).a }}</p>", "ns=21"),
        ("<p>{% for p in brief.participants %}{{ loop.index }}{% endfor %}</p>", "<p>123"),
    ]


def test_the_data_stays_readable(brief: Brief, tmp_path: Path) -> None:
    for number, (body, expected) in enumerate(_readable(brief)):
        markup = _compose(brief, tmp_path / f"t{number}", body)
        assert expected in markup, (body, expected)
