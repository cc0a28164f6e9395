"""A small hand-written SVG chart of a bench/run result: throughput (log scale) per payload,
save and load side by side; gzip (v1) and lz4 (v2) through Python, casblob and the bare
libraries; memcpy as a dashed mark."""
import math
from xml.sax.saxutils import escape

SERIES = [  # (encoding, path, label, colour)
    ("v1", "python_mb_s", "gzip, Python", "#f4c7a1"),
    ("v1", "casblob_mb_s", "gzip, casblob", "#e8833a"),
    ("v1", "ceiling_mb_s", "gzip, bare zlib", "#9c4a12"),
    ("v2", "python_mb_s", "lz4, Python", "#a9c8ec"),
    ("v2", "casblob_mb_s", "lz4, casblob", "#3a7dd0"),
    ("v2", "ceiling_mb_s", "lz4, bare liblz4", "#163f75"),
]


def chart(res):
    rows = {(r["payload"], r["op"], r["encoding"]): r for r in res["rows"]}
    payloads = [p["name"] for p in res["payloads"] if p["size"] > 0]  # 0 B has no throughput
    floors = {m["payload"]: m["mb_s"] for m in res.get("memcpy", []) if m["mb_s"] > 0}
    values = [r[k] for r in res["rows"] for k in ("python_mb_s", "casblob_mb_s", "ceiling_mb_s") if r[k] > 0]
    values += list(floors.values())
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))

    bar, gap, label_w, panel_w, top = 9, 14, 110, 420, 70
    group_h = len(SERIES) * bar + gap
    height = top + len(payloads) * group_h + 70
    width = label_w + 2 * panel_w + 60

    def x(v, panel):
        x0 = label_w + panel * (panel_w + 30)
        return x0 + (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * panel_w

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">'
           f'casblob save / load throughput, MB/s of payload (log scale)</text>',
           f'<text x="{width / 2}" y="34" text-anchor="middle" fill="#555">{escape(res["machine"].get("cpu_model", ""))}, '
           f'{res["machine"].get("cpus")} CPUs, {escape(res["date"])}; dashed: memcpy</text>']
    for panel, op in enumerate(("save", "load")):
        x0 = label_w + panel * (panel_w + 30)
        out.append(f'<text x="{x0 + panel_w / 2}" y="{top - 18}" text-anchor="middle" font-weight="bold">'
                   f'{op} ({"SHA-1 + encode" if op == "save" else "decode + SHA-1 check"})</text>')
        d = lo
        while d <= hi * 1.0001:
            xv = x(d, panel)
            out.append(f'<line x1="{xv:.1f}" y1="{top - 8}" x2="{xv:.1f}" y2="{top + len(payloads) * group_h}" '
                       f'stroke="#ddd"/>')
            out.append(f'<text x="{xv:.1f}" y="{top + len(payloads) * group_h + 14}" text-anchor="middle" '
                       f'fill="#555">{d:g}</text>')
            d *= 10
        for i, name in enumerate(payloads):
            y0 = top + i * group_h
            if panel == 0:
                out.append(f'<text x="{label_w - 8}" y="{y0 + len(SERIES) * bar / 2 + 4}" text-anchor="end">'
                           f'{escape(name)}</text>')
            for j, (enc, key, label, colour) in enumerate(SERIES):
                v = rows[(name, op, enc)][key]
                w = x(v, panel) - x0
                out.append(f'<rect x="{x0}" y="{y0 + j * bar}" width="{max(w, 0.5):.1f}" height="{bar - 1}" '
                           f'fill="{colour}"><title>{escape(name)} {op} {escape(label)}: {v:.1f} MB/s</title></rect>')
            if name in floors:
                xf = x(floors[name], panel)
                out.append(f'<line x1="{xf:.1f}" y1="{y0 - 2}" x2="{xf:.1f}" y2="{y0 + len(SERIES) * bar}" '
                           f'stroke="#333" stroke-dasharray="3,2"/>')
    ly = height - 30
    for j, (_, _, label, colour) in enumerate(SERIES):
        lx = label_w + j * 120
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="10" fill="{colour}"/>')
        out.append(f'<text x="{lx + 16}" y="{ly + 9}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
