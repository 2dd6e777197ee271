#!/usr/bin/env python3
"""Fails when any crate in the dependency graph is not permissively licensed.

Reads `cargo metadata` and evaluates each package's SPDX expression (AND, OR, WITH,
parentheses, and the legacy `/` for OR). Allowed: MIT, Apache-2.0, BSD, ISC, Zlib, MPL-2.0
(unmodified) and a few equivalents (Unicode data licences, CC0, BSL, Unlicense, 0BSD).
GPL, AGPL and LGPL are never allowed.
"""
import json
import re
import subprocess
import sys

ALLOWED = {
    "MIT", "MIT-0", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "Zlib", "MPL-2.0",
    "Unicode-3.0", "Unicode-DFS-2016", "CC0-1.0", "BSL-1.0", "Unlicense", "0BSD",
}
ALLOWED_EXCEPTIONS = {"LLVM-exception"}


def tokens(expr):
    return re.findall(r"\(|\)|[A-Za-z0-9.+-]+", expr.replace("/", " OR "))


def evaluate(expr):
    toks = tokens(expr)
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def factor():
        if peek() == "(":
            take()
            v = disjunction()
            if take() != ")":
                raise ValueError("unbalanced parentheses")
            return v
        lic = take()
        ok = lic in ALLOWED
        if peek() == "WITH":
            take()
            ok = ok and take() in ALLOWED_EXCEPTIONS
        return ok

    def conjunction():
        v = factor()
        while peek() == "AND":
            take()
            v = factor() and v
        return v

    def disjunction():
        v = conjunction()
        while peek() == "OR":
            take()
            v = conjunction() or v
        return v

    result = disjunction()
    if pos != len(toks):
        raise ValueError(f"cannot parse {expr!r}")
    return result


def main():
    meta = json.loads(subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--locked"], text=True))
    bad = []
    for p in meta["packages"]:
        lic = p.get("license")
        if not lic:
            bad.append(f"{p['name']} {p['version']}: no SPDX licence (licence file: {p.get('license_file')})")
            continue
        try:
            if not evaluate(lic):
                bad.append(f"{p['name']} {p['version']}: {lic}")
        except (ValueError, IndexError) as e:
            bad.append(f"{p['name']} {p['version']}: {lic} ({e})")
    if bad:
        print("Dependencies that are not permissively licensed:", file=sys.stderr)
        print("\n".join(sorted(bad)), file=sys.stderr)
        return 1
    print(f"licences: all {len(meta['packages'])} packages are permissively licensed")
    return 0


if __name__ == "__main__":
    assert evaluate("MIT OR Apache-2.0")
    assert evaluate("(MIT OR Apache-2.0) AND Unicode-3.0")
    assert evaluate("Apache-2.0 WITH LLVM-exception OR MIT")
    assert evaluate("MIT/Apache-2.0")
    assert not evaluate("GPL-3.0-only")
    assert not evaluate("MIT AND AGPL-3.0-or-later")
    assert evaluate("GPL-2.0 OR MIT")
    assert not evaluate("LGPL-2.1-or-later")
    sys.exit(main())
