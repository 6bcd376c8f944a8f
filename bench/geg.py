"""Good Enough Golfers (MIT, Brad Buchanan), run headless in node on the same instance.

Its solver, `lib/geneticSolver.js`, is not vendored: it is read from `$RONDA_GEG_JS`, else from
`~/.cache/ronda/geneticSolver.js`, else downloaded there from GitHub at a fixed commit. The
harness gives it the three lodash functions it uses, runs it with no constraints, and counts
the repeats of the plan it returns the way Ronda's validator does (each meeting of a pair
beyond the first).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

COMMIT = "4db20742bf6321986dd0121c498504e8f3b2b60e"
URL = f"https://raw.githubusercontent.com/islemaster/good-enough-golfers/{COMMIT}/lib/geneticSolver.js"
CACHE = Path.home() / ".cache" / "ronda" / "geneticSolver.js"

HARNESS = r"""
const fs = require('fs');
const [source, groups, ofSize, rounds, seed] = process.argv.slice(1);
let state = Number(seed) >>> 0;  // a seeded generator in place of Math.random
Math.random = () => {
  state = (state + 0x6D2B79F5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
global._ = {
  range: (a, b) => (b === undefined ? [...Array(a).keys()] : [...Array(b - a).keys()].map(i => i + a)),
  shuffle: (xs) => {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  },
  sortBy: (xs, key) => xs.map((x, i) => [key(x), i, x]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(t => t[2]),
};
eval(fs.readFileSync(source, 'utf8'));
const started = process.hrtime.bigint();
let last = null;
geneticSolver(Number(groups), Number(ofSize), Number(rounds), false, [], [], (r) => { last = r; });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const met = new Map();
let repeats = 0;
for (const round of last.rounds) {
  for (const group of round) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const key = Math.min(group[i], group[j]) * 100000 + Math.max(group[i], group[j]);
        const m = (met.get(key) || 0) + 1;
        met.set(key, m);
        if (m > 1) repeats++;
      }
    }
  }
}
console.log(JSON.stringify({repeats, seconds}));
"""


@dataclass
class GegResult:
    repeats: int
    seconds: float


def source() -> Path | None:
    """The solver's source, downloaded once if need be; None when it cannot be had."""
    given = os.environ.get("RONDA_GEG_JS")
    if given:
        return Path(given) if Path(given).is_file() else None
    if CACHE.is_file():
        return CACHE
    try:
        with urllib.request.urlopen(URL, timeout=10) as response:  # noqa: S310 - fixed https URL
            text = response.read()
    except OSError:
        return None
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_bytes(text)
    return CACHE


def available() -> bool:
    return shutil.which("node") is not None and source() is not None


def run(tables: int, size: int, rounds: int, seed: int = 0, timeout: float = 900) -> GegResult:
    """Good Enough Golfers' plan for `tables` groups of `size` over `rounds` rounds."""
    path = source()
    assert path is not None
    done = subprocess.run(
        ["node", "-e", HARNESS, "--", str(path), str(tables), str(size), str(rounds), str(seed)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return GegResult(repeats=int(figures["repeats"]), seconds=float(figures["seconds"]))
