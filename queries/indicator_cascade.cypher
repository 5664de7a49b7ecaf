// title: Indicator cascade
// purpose: Every numeric or directional target of a child plan next to the parent target it cascades to on the same metric, with the child's share (ratio), how the metrics matched, how they relate (share, stricter, looser, same, different-period with the annualised comparison), each side's range, year and subject; child targets without a parent target are listed with empty parent columns.
// columns: child_scope, child_ref, metric, child_raw, parent_scope, parent_ref, parent_raw, ratio, metric_match
// param: plan (plan) — the child plan: id, document number or region, example: 松江区
// order: plan, child_scope, child_ref, child_position, child_id, parent_plan, parent_id
MATCH (c:Plan {id: $plan})
MATCH (ci:Indicator {plan_id: c.id})
OPTIONAL MATCH (ci)-[k:CASCADES_TO]->(pi:Indicator)
RETURN c.id AS plan, ci.scope AS child_scope, ci.scope_ref AS child_ref, ci.metric AS metric,
       ci.comparator AS child_comparator, ci.value AS child_value,
       ci.value_max AS child_value_max, ci.unit AS child_unit, ci.period AS child_period,
       ci.year AS child_year, ci.subject AS child_subject, ci.raw AS child_raw,
       pi.plan_id AS parent_plan, pi.scope AS parent_scope, pi.scope_ref AS parent_ref,
       pi.metric AS parent_metric, pi.value AS parent_value, pi.value_max AS parent_value_max,
       pi.unit AS parent_unit, pi.period AS parent_period, pi.year AS parent_year,
       pi.raw AS parent_raw, k.ratio AS ratio, k.relation AS relation,
       k.annualised_ratio AS annualised_ratio, k.metric_match AS metric_match,
       ci.id AS child_id, pi.id AS parent_id, ci.position AS child_position
