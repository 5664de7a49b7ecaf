"""A plan as a terminal tree: goals, action groups with their tasks and bureaus, measures."""

from __future__ import annotations

from rich.markup import escape
from rich.tree import Tree

from ingest.model import Plan


def _owners(agencies: list[str]) -> str:
    if not agencies:
        return "[dim]（无责任单位）[/dim]"
    lead, *others = agencies
    rest = "、".join(escape(name) for name in others)
    return f"[bold]{escape(lead)}[/bold]" + (f"、{rest}" if rest else "")


def plan_tree(plan: Plan) -> Tree:
    """The structure of `plan` for `plangraph parse` without --json."""
    facts = [part for part in (plan.doc_number, plan.issuer, plan.issued_on) if part]
    label = f"[bold]{escape(plan.display_name)}[/bold]"
    if facts:
        label += f"  [dim]{escape(' · '.join(facts))}[/dim]"
    tree = Tree(label)

    for cite in plan.cites:
        number = f"（{cite.doc_number}）" if cite.doc_number else ""
        tree.add(f"[cyan]implements[/cyan] 《{escape(cite.title)}》{escape(number)}")

    if plan.goals:
        goals = tree.add(f"[green]主要目标[/green] ({len(plan.goals)})")
        for goal in plan.goals:
            goals.add(f"——{escape(goal.title)}")

    tasks = tree.add(f"[yellow]重点任务[/yellow] ({len(plan.tasks)})")
    for action in plan.actions:
        group = tasks.add(escape(action.title) if action.title else "[dim]（未分组）[/dim]")
        for task in action.tasks:
            group.add(f"{task.number}. {escape(task.title)}  {_owners(task.agencies)}")

    if plan.measures:
        measures = tree.add(f"[magenta]保障措施[/magenta] ({len(plan.measures)})")
        for measure in plan.measures:
            measures.add(f"{measure.order}. {escape(measure.title)}  {_owners(measure.agencies)}")

    for warning in plan.warnings:
        tree.add(f"[red]warning[/red] {escape(warning)}")
    return tree
