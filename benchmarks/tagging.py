"""What tagging costs: warm render time of one edition with and without the structure
tree (marked content in the page streams, the tree written by pypdf).

Run: python benchmarks/tagging.py [--repeat N]
Prints the median milliseconds per edition for each layout, tagged and untagged.
"""

from __future__ import annotations

import argparse
import statistics
import time

from brochure import paths
from brochure.finish.steps import finish
from brochure.source.content import load_content
from brochure.source.layouts import load_layout
from brochure.typeset.fonts import font_set
from brochure.typeset.render import Edition, render


def median_ms(content, layout, tagged: bool, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        edition = Edition(content, layout, font_set(content.language), tagged=tagged)
        start = time.perf_counter()
        finish(render(edition).pdf, edition)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    content = load_content(paths.builtin("content") / "kratom" / "en.yaml")
    print(f"{'layout':<12} {'tagged ms':>10} {'untagged ms':>12} {'cost':>7}")
    for name in ("clinic", "general"):
        layout = load_layout(name)
        median_ms(content, layout, True, 2)  # warm up: fonts, caches
        with_tags = median_ms(content, layout, True, args.repeat)
        without = median_ms(content, layout, False, args.repeat)
        print(f"{name:<12} {with_tags:>10.1f} {without:>12.1f} "
              f"{(with_tags / without - 1) * 100:>6.0f}%")


if __name__ == "__main__":
    main()
