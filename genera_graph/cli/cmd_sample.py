"""``genera sample --out DIR --seed N``: write the sample district's register files."""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sample", help="generate the synthetic sample district (register files)")
    p.add_argument("--out", default="sample_data", help="output folder (default: sample_data)")
    p.add_argument("--seed", type=int, default=2016, help="random seed (default: 2016)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from genera_graph.sample import write_sample

    paths = write_sample(args.out, seed=args.seed)
    print(f"wrote {len(paths)} files to {args.out} (seed {args.seed})")
    return 0
