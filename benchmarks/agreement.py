"""The agreement test (issue 10, point 5) at a larger budget: the local runtime against the
pulumi-aws plan's artefacts, hop by hop, over random topologies and events.

Run from the repository root:  python benchmarks/agreement.py [--examples 500] [--seed 1]

Two runs: every shape whose hops can be compared (each disagreement there is a defect),
then with several consumers on one queue as well (they compete for its messages, so a
hop there cannot be compared; each disagreement is put down to its cause,
`tests/agreement/generate.py` KNOWN and UNCOMPARABLE). Then hops into a failing handler,
and the two failure stages (delivery, handler) of a bus, schedule or topic into one.
Prints topologies, events and hops compared, what was skipped and why, and the
disagreements.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from agreement.failures import KNOWN_FAILURES, failing_hops, local_outcome, planned_outcome  # noqa: E402
from agreement.generate import KNOWN, UNCOMPARABLE, events, topologies  # noqa: E402
from agreement.handover import local_stages, planned_stages, two_stage_hops  # noqa: E402
from agreement.harness import Tally, classify, compare  # noqa: E402


def run(examples: int, known: bool, chosen_seed: int) -> Tally:
    total = Tally()

    @seed(chosen_seed)
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def one(data: st.DataObject) -> None:
        topology = data.draw(topologies(known=known))
        total.add(compare(topology.text, data.draw(events(topology))))

    one()
    return total


def run_failures(examples: int, known: bool, chosen_seed: int) -> tuple[int, list[tuple[str, str, object, object]]]:
    """Hops into a failing function: (hops compared, [(kind, text, local, planned)] that differ)."""
    compared: list[int] = [0]
    differ: list[tuple[str, str, object, object]] = []

    @seed(chosen_seed)
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(failing_hops(known=known))
    def one(hop: tuple[str, str]) -> None:
        kind, text = hop
        local, planned = local_outcome(text), planned_outcome(text, kind)
        compared[0] += 1
        if local != planned:
            differ.append((kind, text, local, planned))

    one()
    return compared[0], differ


def run_stages(examples: int, chosen_seed: int) -> tuple[int, list[tuple[str, str, object, object]]]:
    """A bus, schedule or topic into a failing function, with and without a delivery outage:
    both stages' attempts and where the event ends, local against planned."""
    compared: list[int] = [0]
    differ: list[tuple[str, str, object, object]] = []

    @seed(chosen_seed)
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(two_stage_hops())
    def one(hop: tuple[str, str, bool]) -> None:
        kind, text, refused = hop
        local, planned = local_stages(text, kind, refused), planned_stages(text, kind, refused)
        compared[0] += 1
        if local != planned:
            differ.append((kind, text, local, planned))

    one()
    return compared[0], differ


def report(title: str, tally: Tally, seconds: float) -> None:
    print(f"\n== {title} ({seconds:.1f} s)")
    print(f"topologies compared {tally.topologies:>8,}")
    print(f"events              {tally.events:>8,}")
    print(f"hops compared       {tally.hops:>8,}  (delivered or filtered, per event and hop)")
    print(f"copies compared     {tally.copies:>8,}  (how many copies, per event and consumer)")
    for reason, count in sorted(tally.skipped.items(), key=lambda item: -item[1]):
        print(f"skipped ({reason}): {count}")
    causes = Counter(classify(text, d) or "NEW" for text, d in tally.disagreements)
    print(f"disagreements       {len(tally.disagreements):>8,}")
    for cause, count in causes.most_common():
        why = KNOWN.get(cause) or UNCOMPARABLE.get(cause, "not explained by a known cause")
        print(f"  {count:>6,}  {cause}: {why}")
    shown = [(text, d) for text, d in tally.disagreements if classify(text, d) is None][:3]
    for text, found in shown:
        print(f"\nNEW: {found}\n{text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=500, help="topologies per run")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for known in (False, True):
        start = time.perf_counter()
        tally = run(args.examples, known, args.seed)
        title = "with competing queue consumers (not comparable)" if known else "every comparable shape"
        report(title, tally, time.perf_counter() - start)
    for known in (False, True):
        hops, differ = run_failures(args.examples // 2, known, args.seed)
        kinds = Counter(kind for kind, *_ in differ)
        title = "with the known mis-deployments" if known else "every shape deployed right"
        print(
            f"\n== a failing handler or endpoint, one hop, {title}: {hops:,} hops compared, {len(differ):,} disagreements"
        )
        for kind, count in kinds.items():
            cause = "https-retries" if kind == "https" else None
            print(f"  {count:>6,}  {kind}: {KNOWN_FAILURES.get(cause or '', 'NEW: not explained by a known cause')}")
    report_stages(args.examples // 2, args.seed)


def report_stages(examples: int, chosen_seed: int) -> None:
    hops, differ = run_stages(examples, chosen_seed)
    print(
        f"\n== delivery and handler failure stages into a function: {hops:,} hops compared, {len(differ):,} disagreements"
    )
    for kind, text, local, planned in differ[:3]:
        print(f"NEW ({kind}): local {local}, planned {planned}\n{text}")


if __name__ == "__main__":
    main()
