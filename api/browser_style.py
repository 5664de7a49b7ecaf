"""How the graph looks: one colour and one caption per label, one caption per relationship.

This module is the single source of the look. It renders the GraSS file Neo4j Browser loads
(``api/browser-style.grass``, served at ``/browser/style.grass`` for ``:style <url>``) and
the JSON the explore page reads (``/browser/style.json``), so the two always agree; a test
checks the committed .grass file is exactly what ``render_grass()`` gives.

Regenerate the file after editing this module::

    python -m api.browser_style --write
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from schema import graph_model as gm

GRASS_PATH = Path(__file__).with_name("browser-style.grass")


@dataclass(frozen=True)
class NodeStyle:
    color: str
    border: str
    text_color: str
    # The caption as a GraSS template: `{property}` is replaced by the node's property, as
    # Neo4j Browser does, and the explore page fills it the same way (`caption_for`).
    # A task reads "3. 布局新赛道和未来产业" from properties it already has; a plan shows the
    # builder's short `caption` rather than its long title; the rest read well by `name`.
    caption: str
    diameter: int
    # One Chinese word for legends, so an analyst reads 任务, not Task.
    title: str


@dataclass(frozen=True)
class RelStyle:
    caption: str  # plain words drawn on the arrow
    color: str
    width: int


NODE_STYLES: dict[str, NodeStyle] = {
    gm.PLAN: NodeStyle("#4C8EDA", "#2870C2", "#FFFFFF", "{caption}", 90, "规划"),
    gm.GOAL: NodeStyle("#F79767", "#F36924", "#FFFFFF", "{name}", 60, "目标"),
    gm.INDICATOR: NodeStyle("#FFD86E", "#EDBA39", "#3D3D3D", "{name}", 55, "指标"),
    gm.ACTION: NodeStyle("#8DCC93", "#5DB665", "#1E3B21", "{name}", 65, "行动"),
    gm.TASK: NodeStyle("#57C7E3", "#23B3D7", "#0B2E36", "{number}. {name}", 80, "任务"),
    gm.MEASURE: NodeStyle("#D9C8AE", "#C0A378", "#3D3D3D", "{name}", 65, "保障措施"),
    gm.AGENCY: NodeStyle("#F16667", "#EB2728", "#FFFFFF", "{name}", 70, "责任单位"),
    gm.REGION: NodeStyle("#C990C0", "#B261A5", "#FFFFFF", "{name}", 60, "地点"),
    gm.INDUSTRY: NodeStyle("#DA7194", "#CC3C6C", "#FFFFFF", "{name}", 60, "产业"),
}

# Neo4j only: a task also carries its plan's level as a label (schema.graph_model
# TASK_LEVEL_LABELS, set by ingest/neo4j_load.py), so a district-to-city drawing tells the two
# apart: city tasks deep blue, district tasks amber; the other levels have their own. Rendered
# after the label rules, so in Browser they win over the plain Task colour.
TASK_LEVEL_STYLES: dict[str, NodeStyle] = {
    gm.TASK_LEVEL_LABELS["city"]: NodeStyle(
        "#3F51B5", "#2C3A8C", "#FFFFFF", "{number}. {name}", 80, "市级任务"
    ),
    gm.TASK_LEVEL_LABELS["district"]: NodeStyle(
        "#F4A259", "#D9822B", "#3D2100", "{number}. {name}", 80, "区级任务"
    ),
    gm.TASK_LEVEL_LABELS["national"]: NodeStyle(
        "#8E2C48", "#6B1F35", "#FFFFFF", "{number}. {name}", 80, "国家级任务"
    ),
    gm.TASK_LEVEL_LABELS["province"]: NodeStyle(
        "#7E57C2", "#5E3A9E", "#FFFFFF", "{number}. {name}", 80, "省级任务"
    ),
    gm.TASK_LEVEL_LABELS["town"]: NodeStyle(
        "#2E9E6B", "#22774F", "#FFFFFF", "{number}. {name}", 80, "镇级任务"
    ),
}

# Captions read along the arrow, start to end: 区经委 —负责→ 任务; 松江 plan —落实→ city plan.
REL_STYLES: dict[str, RelStyle] = {
    gm.IMPLEMENTS: RelStyle("落实", "#2870C2", 3),
    gm.HAS_GOAL: RelStyle("目标", "#A5ABB6", 1),
    gm.HAS_ACTION: RelStyle("行动", "#A5ABB6", 1),
    gm.HAS_TASK: RelStyle("任务", "#A5ABB6", 1),
    gm.HAS_MEASURE: RelStyle("保障措施", "#A5ABB6", 1),
    gm.HAS_INDICATOR: RelStyle("指标", "#A5ABB6", 1),
    gm.RESPONSIBLE_FOR: RelStyle("负责", "#EB2728", 2),
    gm.MEMBER_OF: RelStyle("成员", "#A5ABB6", 1),
    gm.COUNTERPART_OF: RelStyle("对口", "#EB2728", 2),
    gm.GOVERNS: RelStyle("管辖", "#A5ABB6", 1),
    gm.PART_OF: RelStyle("属于", "#A5ABB6", 1),
    gm.MENTIONS: RelStyle("地点", "#B261A5", 1),
    gm.TARGETS: RelStyle("产业", "#CC3C6C", 1),
    gm.ALIGNS_WITH: RelStyle("对应", "#23B3D7", 3),
    gm.CASCADES_TO: RelStyle("承接", "#EDBA39", 2),
}

# Unknown labels (a label added later) still get a readable caption rather than an id.
DEFAULT_NODE = NodeStyle("#A5ABB6", "#9AA1AC", "#FFFFFF", "{name}", 55, "")
DEFAULT_REL_COLOR = "#A5ABB6"


_BINDING = re.compile(r"\{([^{}]*)\}")


def caption_template(label: str) -> str:
    return (NODE_STYLES | TASK_LEVEL_STYLES).get(label, DEFAULT_NODE).caption


def caption_properties(label: str) -> list[str]:
    """The properties a label's caption reads, e.g. ["number", "name"] for a task."""
    return _BINDING.findall(caption_template(label))


def fill_caption(template: str, props: dict[str, Any]) -> str:
    """Browser's interpolation: each {key} becomes the property (lists joined), else ''."""

    def value(match: re.Match[str]) -> str:
        found = props.get(match.group(1))
        if isinstance(found, list | tuple):
            return ", ".join(str(item) for item in found)
        if isinstance(found, bool) or found is None:
            return "" if found is None else str(found).lower()
        return str(found)

    return _BINDING.sub(value, template)


def caption_for(label: str, props: dict[str, Any]) -> str:
    """What the graph shows for a node; the name when the template finds nothing to show."""
    template = caption_template(label)
    text = fill_caption(template, props).strip()
    if not text or text == _BINDING.sub("", template).strip():
        return str(props.get("name") or props.get("id") or "")
    return text


def _block(selector: str, props: dict[str, str]) -> str:
    body = "".join(f"  {key}: {value};\n" for key, value in props.items())
    return f"{selector} {{\n{body}}}\n"


def render_grass() -> str:
    """The GraSS text Neo4j Browser parses: CSS-like blocks, captions in double quotes.

    Browser's parser splits declarations on ';' and ':', so no value may contain either.
    """
    blocks = [
        _block(
            "node",
            {
                "diameter": f"{DEFAULT_NODE.diameter}px",
                "color": DEFAULT_NODE.color,
                "border-color": DEFAULT_NODE.border,
                "border-width": "2px",
                "text-color-internal": DEFAULT_NODE.text_color,
                "font-size": "10px",
                "caption": f'"{DEFAULT_NODE.caption}"',
            },
        ),
        _block(
            "relationship",
            {
                "color": DEFAULT_REL_COLOR,
                "shaft-width": "1px",
                "font-size": "9px",
                "padding": "3px",
                "text-color-external": "#000000",
                "text-color-internal": "#FFFFFF",
                "caption": '"<type>"',
            },
        ),
    ]
    for label, style in (NODE_STYLES | TASK_LEVEL_STYLES).items():
        blocks.append(
            _block(
                f"node.{label}",
                {
                    "color": style.color,
                    "border-color": style.border,
                    "text-color-internal": style.text_color,
                    "diameter": f"{style.diameter}px",
                    "caption": f'"{style.caption}"',
                },
            )
        )
    for rel_type, rel_style in REL_STYLES.items():
        blocks.append(
            _block(
                f"relationship.{rel_type}",
                {
                    "color": rel_style.color,
                    "shaft-width": f"{rel_style.width}px",
                    "caption": f'"{rel_style.caption}"',
                },
            )
        )
    # No comment header: Browser's GraSS parser knows no comments and would glue one onto the
    # first selector, silently dropping the default node rule.
    return "\n".join(blocks)


def style_json() -> dict[str, Any]:
    """The same mapping for the explore page (served at /browser/style.json)."""
    return {
        "nodes": {label: asdict(style) for label, style in NODE_STYLES.items()},
        "default_node": asdict(DEFAULT_NODE),
        "relationships": {rel: asdict(style) for rel, style in REL_STYLES.items()},
        "default_relationship": {"caption": "", "color": DEFAULT_REL_COLOR, "width": 1},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the Neo4j Browser style (GraSS).")
    parser.add_argument("--write", action="store_true", help=f"write {GRASS_PATH.name}")
    args = parser.parse_args(argv)
    text = render_grass()
    if args.write:
        GRASS_PATH.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
