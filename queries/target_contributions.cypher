// title: Target contributions
// purpose: For each target of a parent (city) plan, every child (district) target that cascades to it, with its share, and the children's total against the city figure where they share its unit (share relations only; empty when none can be summed).
// columns: metric, parent_raw, child_plan, child_raw, ratio, children_share
// param: plan (plan) — the parent plan: id, document number or region, example: 沪府办发〔2023〕8号
// order: parent_id, child_plan, child_id
// `CASE WHEN … END` without ELSE is a null of the column's type, which LadybugDB needs.
MATCH (p:Plan {id: $plan})
MATCH (pi:Indicator {plan_id: p.id})<-[k:CASCADES_TO]-(ci:Indicator)
WITH pi,
     collect({plan: ci.plan_id, value: ci.value, unit: ci.unit, ratio: k.ratio,
              relation: k.relation, id: ci.id, raw: ci.raw}) AS parts,
     sum(CASE WHEN ci.unit = pi.unit AND k.relation = 'share' THEN ci.value ELSE 0.0 END)
       AS total,
     count(CASE WHEN ci.unit = pi.unit AND k.relation = 'share' THEN 1 END) AS summed
UNWIND parts AS part
RETURN pi.plan_id AS parent_plan, pi.metric AS metric, pi.value AS parent_value,
       pi.unit AS parent_unit, pi.raw AS parent_raw, part.plan AS child_plan,
       part.value AS child_value, part.unit AS child_unit, part.raw AS child_raw,
       part.ratio AS ratio, part.relation AS relation,
       CASE WHEN summed > 0 THEN total END AS children_total,
       CASE WHEN summed > 0 AND pi.value > 0 THEN round(total / pi.value, 3) END
         AS children_share,
       pi.id AS parent_id, part.id AS child_id
