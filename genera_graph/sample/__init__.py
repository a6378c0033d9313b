"""The synthetic sample district: a generator that reproduces the programme's first-year figures
and plants a known truth (isolated households, bridges) for testing the analytics.

Examples
--------
>>> from genera_graph.sample import generate_district
>>> district = generate_district(seed=2016)
>>> len(district.truth.bridges)
4
"""

from genera_graph.sample.generator import (
    DEFAULT_SAMPLE_CONFIG,
    POINTS,
    SampleConfig,
    SampleDistrict,
    generate_district,
    write_sample,
)
from genera_graph.sample.region import SampleRegion, generate_region, write_region
from genera_graph.sample.truth import MECHANISMS, GroundTruth, read_truth, write_truth

__all__ = [
    "DEFAULT_SAMPLE_CONFIG",
    "MECHANISMS",
    "POINTS",
    "GroundTruth",
    "SampleConfig",
    "SampleDistrict",
    "SampleRegion",
    "generate_district",
    "generate_region",
    "read_truth",
    "write_region",
    "write_sample",
    "write_truth",
]
