"""Count the tests and their checks under tests/, to compare a suite before and after a change.

    .venv/bin/python scripts/count_tests.py            # static counts (ast)
    .venv/bin/python scripts/count_tests.py --collect  # and the cases pytest collects

Static counts, per file and in total: test functions (``def test_…``), ``assert`` statements,
``pytest.raises`` checks, query-count checks (``django_assert_num_queries``,
``django_assert_max_num_queries``, ``assertNumQueries``) and Playwright ``expect(…)`` checks.
Parametrized cases are counted by pytest itself (``--collect``), not here.
"""

import ast
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERY_CHECKS = {"django_assert_num_queries", "django_assert_max_num_queries", "assertNumQueries"}
KINDS = ["tests", "asserts", "raises", "queries", "expects"]


def called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def count_file(path: Path) -> Counter:
    counts = Counter()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            counts["tests"] += 1
        elif isinstance(node, ast.Assert):
            counts["asserts"] += 1
        elif isinstance(node, ast.Call):
            name = called_name(node)
            if name == "raises":
                counts["raises"] += 1
            elif name in QUERY_CHECKS:
                counts["queries"] += 1
            elif name == "expect":
                counts["expects"] += 1
    return counts


def collected() -> int:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return sum(1 for line in result.stdout.splitlines() if "::" in line)


def main() -> None:
    total = Counter()
    rows = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        counts = count_file(path)
        total += counts
        if counts:
            rows.append((str(path.relative_to(ROOT)), counts))
    width = max(len(name) for name, _ in rows)
    print(f"{'file':<{width}} " + " ".join(f"{kind:>7}" for kind in KINDS))
    for name, counts in rows:
        print(f"{name:<{width}} " + " ".join(f"{counts[kind]:>7}" for kind in KINDS))
    print(f"{'TOTAL':<{width}} " + " ".join(f"{total[kind]:>7}" for kind in KINDS))
    if "--collect" in sys.argv:
        print(f"collected test cases (pytest --collect-only): {collected()}")


if __name__ == "__main__":
    main()
