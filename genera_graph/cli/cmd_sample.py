"""``genera sample --out DIR --seed N [--scale region]``: write the synthetic register files.

``--scale district`` (default) writes the sample district; ``--scale region`` a region of
``--districts`` districts (default 30: about 40k households, 4M events), each with the
district's planted truth, plus ``districts.csv``.
"""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sample", help="generate the synthetic sample district (register files)")
    p.add_argument("--out", default="sample_data", help="output folder (default: sample_data)")
    p.add_argument("--seed", type=int, default=2016, help="random seed (default: 2016)")
    p.add_argument("--scale", choices=("district", "region"), default="district",
                   help="one sample district (default) or a region of many districts")
    p.add_argument("--districts", type=int, default=30,
                   help="districts of a region (default: 30; with --scale region)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.scale == "region":
        from genera_graph.sample.region import generate_region, write_region

        paths = write_region(generate_region(args.districts, seed=args.seed), args.out)
        print(f"wrote {len(paths)} files to {args.out} ({args.districts} districts, "
              f"seed {args.seed})")
        return 0
    from genera_graph.sample import write_sample

    paths = write_sample(args.out, seed=args.seed)
    print(f"wrote {len(paths)} files to {args.out} (seed {args.seed})")
    return 0
