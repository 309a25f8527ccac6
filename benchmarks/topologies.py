"""Generated .evt topologies for the benchmarks: `generate(n)` has about n components.

Each pipeline is the everyday shape: an app source publishes an event to a topic, the
topic fans out (filtered) to a queue with a dead-letter queue, a function consumes it,
and every tenth pipeline also feeds a stream read by an ordered function.
"""

from __future__ import annotations

PIPELINE = """
event Evt{i} {{
  id: string
  amount: number
  region: string
  email: string @sensitive
}}

source src{i}: app {{
  emits: [Evt{i}]
  payload: state
}}

topic topic{i} {{ encrypted: true }}

queue jobs{i} {{
  visibility_timeout: 3m
  retention: 4d
  max_receives: 5
  dead_letter: dlq{i}
  encrypted: true
}}

queue dlq{i} {{ retention: 14d encrypted: true }}

function worker{i} {{
  handler: "handlers.w:handle"
  timeout: 30s
  clearance: [sensitive]
}}

route src{i}.Evt{i} -> topic{i}
route topic{i} -> jobs{i} when amount > {i} and region in ["eu-west-1", "us-east-1"]
route jobs{i} -> worker{i} {{ batch_size: 10 }}
"""
COMPONENTS_PER_PIPELINE = 5


def generate(n: int, name: str = "generated") -> str:
    """An .evt text with about n components (a multiple of five)."""
    pipelines = max(1, n // COMPONENTS_PER_PIPELINE)
    return f"topology {name}\n" + "".join(PIPELINE.format(i=i) for i in range(pipelines))


def pipelines_text(count: int) -> str:
    """Exactly `count` pipelines (topic → queue with DLQ → function)."""
    return generate(count * COMPONENTS_PER_PIPELINE)
